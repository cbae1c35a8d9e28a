package io.reliapi.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolArgumentsProgressTest {
  static ToolArgumentsProgress of(String... fragments) {
    ToolArgumentsProgress progress = new ToolArgumentsProgress();
    for (String fragment : fragments) {
      progress.append(fragment);
    }
    return progress;
  }

  @Test
  void isWholeOnceTheObjectClosesWhateverItsStringsHold() {
    assertThat(of("{\"q\": \"a } ] \\\" {\", ", "\"n\": [1, {\"x\": {}}]", "}").whole()).isTrue();
    assertThat(of(" \n{", "}", " \t").whole()).isTrue();
    assertThat(of("{\"q\": \"\\\\\"}").whole()).as("an escaped backslash ends with its string").isTrue();
    for (String open : List.of("", " ", "{", "{\"q\": \"}\"", "{\"q\": [1}", "{\"q\": \"\\\"}")) {
      ToolArgumentsProgress progress = of(open);
      assertThat(progress.whole()).as(open).isFalse();
      assertThat(progress.done()).as("%s may still become whole", open).isFalse();
    }
  }

  @Test
  void isDoneWithoutBeingWholeWhenNoFragmentCanMakeItOneObject() {
    for (String never : List.of("[1]", "null", "\"{}\"", "{}x", "{} {}", "{\"q\": tru}", "{]")) {
      ToolArgumentsProgress progress = of(never);
      assertThat(progress.whole()).as(never).isFalse();
      assertThat(progress.done()).as(never).isTrue();
    }
    assertThat(of("{}", " ", "x").done()).isTrue();
    assertThat(of("{}", " ", "x").whole()).isFalse();
    assertThat(of("{\"a\":", "1}").toString()).isEqualTo("{\"a\":1}");
  }
}
