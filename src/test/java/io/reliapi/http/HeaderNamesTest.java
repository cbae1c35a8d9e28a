package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {
  private final Set<String> names = HeaderNames.of("Authorization", "x-api-key", "Idempotency-Key", "te", "cookie");

  @Test
  void matchesANameInAnyCase() {
    assertThat(names).allSatisfy(name -> assertThat(names.contains(name.toUpperCase())).isTrue());
    assertThat(names.contains("AUTHORIZATION")).isTrue();
    assertThat(names.contains("X-Api-Key")).isTrue();
    assertThat(names.contains("tE")).isTrue();
  }

  @Test
  void matchesNoOtherName() {
    assertThat(names.contains("authorizatio")).isFalse();
    assertThat(names.contains("x-api-keys")).isFalse();
    assertThat(names.contains("")).isFalse();
    assertThat(names.contains("t")).isFalse();
    assertThat(names.contains(null)).isFalse();
  }

  @Test
  void matchesAsCaseInsensitiveOrderDoesBeyondAscii() {
    // The Kelvin sign lower-cases to "k", so a sorted set ignoring case took it for one.
    assertThat(names.contains("x-api-\u212Aey")).isTrue();
    assertThat(names.contains("x-api-k\u00e9y")).isFalse();
  }

  @Test
  void keepsEachNameOnceInLowerCase() {
    assertThat(HeaderNames.of("Host", "host", "HOST", "Expect")).containsExactly("host", "expect");
  }

  @Test
  void anEmptySetMatchesNothing() {
    assertThat(HeaderNames.of().contains("host")).isFalse();
  }
}
