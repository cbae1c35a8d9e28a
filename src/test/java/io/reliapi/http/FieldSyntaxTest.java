package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 9110 §5.1 and §5.5: what a header name and a header value may hold. */
class FieldSyntaxTest {

  @Test
  void acceptsTokensAsNames() {
    assertThat(FieldSyntax.isName("X-Request-ID")).isTrue();
    assertThat(FieldSyntax.isName("a!#$%&'*+-.^_`|~9")).isTrue();
  }

  @Test
  void refusesNamesWithSeparatorsControlsOrNonAscii() {
    for (String name : new String[] {"", "X Bad", "X:Bad", "(x)", "a\"b", "x\u0001", "x\u007f", "caf\u00e9", "x\ty"}) {
      assertThat(FieldSyntax.isName(name)).as(name).isFalse();
    }
  }

  @Test
  void acceptsVisibleCharactersSpacesTabsAndObsText() {
    assertThat(FieldSyntax.isValue("")).isTrue();
    assertThat(FieldSyntax.isValue("Bearer abc.def ~!\"(),/:;<=>?@[\\]{}")).isTrue();
    assertThat(FieldSyntax.isValue("a\tb c")).isTrue();
    assertThat(FieldSyntax.isValue("caf\u00e9 \u0080\u00ff")).isTrue();
  }

  @Test
  void refusesEveryControlCharacterButTabAndEverythingAboveLatinOne() {
    for (char c = 0; c < 0x20; c++) {
      assertThat(FieldSyntax.isValue("a" + c + "b")).as("U+%04X", (int) c).isEqualTo(c == '\t');
    }
    assertThat(FieldSyntax.isValue("a\u007fb")).isFalse();
    assertThat(FieldSyntax.isValue("a\u0100b")).isFalse();
    assertThat(FieldSyntax.isValue("\u20ac")).isFalse();
  }
}
