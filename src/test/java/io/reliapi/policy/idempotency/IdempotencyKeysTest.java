package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {
  @Test
  void takesTheHeaderOrTheFieldAndTreatsTheQuotedFormAsTheSameKey() {
    assertThat(IdempotencyKeys.resolve("abc", null)).contains("abc");
    assertThat(IdempotencyKeys.resolve(null, "abc")).contains("abc");
    assertThat(IdempotencyKeys.resolve("\"abc\"", "abc")).contains("abc");
    assertThat(IdempotencyKeys.resolve(null, null)).isEmpty();
    assertThat(IdempotencyKeys.resolve("k".repeat(255), null)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\"\"", "has space", "tab\there", "caf\u00e9", "line\nbreak"})
  void rejectsMalformedKeys(String key) {
    assertThatThrownBy(() -> IdempotencyKeys.resolve(key, null)).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_INVALID));
  }

  @Test
  void rejectsKeysOver255CharactersAndDisagreement() {
    assertThatThrownBy(() -> IdempotencyKeys.resolve("k".repeat(256), null)).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> IdempotencyKeys.resolve("a", "b")).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_INVALID));
  }

  @Test
  void readsRepeatedHeaderLinesOnlyWhenTheyCarryTheSameKey() {
    assertThat(IdempotencyKeys.resolveLines(List.of(), null)).isEmpty();
    assertThat(IdempotencyKeys.resolveLines(List.of("abc", "\"abc\""), null)).contains("abc");
    assertThatThrownBy(() -> IdempotencyKeys.resolveLines(List.of("abc", "abd"), null))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_INVALID));
  }
}
