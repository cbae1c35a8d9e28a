package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextJoinTest {

  static String joined(TextJoin join, List<String> pieces) {
    StringBuilder out = new StringBuilder();
    pieces.forEach(piece -> out.append(join.next(piece)));
    return out.append(join.flush()).toString();
  }

  @Test
  void whitespaceWrittenAgainIsDroppedAcrossPieces() {
    assertThat(joined(new TextJoin("", " "), List.of(" world"))).isEqualTo("world");
    assertThat(joined(new TextJoin("", "\n\n"), List.of("\n", "\nNext", " \n"))).isEqualTo("Next \n");
  }

  @Test
  void noBreakSpaceWrittenAgainIsDroppedExactlyAndAnOrdinarySpaceInItsPlaceIsKept() {
    assertThat(joined(new TextJoin("", "\u00a0\u202f"), List.of("\u00a0", "\u202f€"))).isEqualTo("€");
    assertThat(joined(new TextJoin("", "\u00a0"), List.of(" €"))).as("not the same character").isEqualTo(" €");
  }

  @Test
  void whitespaceTheModelWantedBeyondWhatWasSentIsKept() {
    assertThat(joined(new TextJoin("", "\n"), List.of("\n\nNext"))).isEqualTo("\nNext");
    assertThat(joined(new TextJoin("", " "), List.of("world", " "))).isEqualTo("world ");
  }

  @Test
  void anEchoOfThePrefixIsDroppedOnlyWhenWrittenWhole() {
    assertThat(joined(new TextJoin("Bonjour", ""), List.of("Bon", "jour", " le"))).isEqualTo(" le");
    assertThat(joined(new TextJoin("Bonjour", ""), List.of("Bon", "soir"))).isEqualTo("Bonsoir");
    assertThat(joined(new TextJoin("Bonjour", ""), List.of("Bon"))).as("held back, then given at the end")
        .isEqualTo("Bon");
    assertThat(joined(new TextJoin("Hi ", ""), List.of("Hi there"))).isEqualTo("there");
  }
}
