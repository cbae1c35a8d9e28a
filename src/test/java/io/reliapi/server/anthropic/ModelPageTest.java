package io.reliapi.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelPageTest {
  static final List<String> ALL = List.of("a", "b", "c", "d", "e");

  @Test
  void givesTheFirstIdsUpToTheLimit() {
    assertThat(ModelPage.of(ALL, 2, null, null)).isEqualTo(new ModelPage(List.of("a", "b"), true));
    assertThat(ModelPage.of(ALL, 20, null, null)).isEqualTo(new ModelPage(ALL, false));
  }

  @Test
  void pagesForwardAfterAnId() {
    assertThat(ModelPage.of(ALL, 2, "b", null)).isEqualTo(new ModelPage(List.of("c", "d"), true));
    assertThat(ModelPage.of(ALL, 2, "d", null)).isEqualTo(new ModelPage(List.of("e"), false));
    assertThat(ModelPage.of(ALL, 2, "e", null)).isEqualTo(new ModelPage(List.of(), false));
  }

  @Test
  void pagesBackwardBeforeAnId() {
    assertThat(ModelPage.of(ALL, 2, null, "e")).isEqualTo(new ModelPage(List.of("c", "d"), true));
    assertThat(ModelPage.of(ALL, 2, null, "b")).isEqualTo(new ModelPage(List.of("a"), false));
  }

  @Test
  void givesAnEmptyLastPageForAnUnknownId() {
    assertThat(ModelPage.of(ALL, 2, "zz", null)).isEqualTo(new ModelPage(List.of(), false));
    assertThat(ModelPage.of(ALL, 2, null, "zz")).isEqualTo(new ModelPage(List.of(), false));
  }
}
