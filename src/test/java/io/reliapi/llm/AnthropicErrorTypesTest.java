package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Anthropic's error types and their statuses, read both ways from one table. */
class AnthropicErrorTypesTest {
  @Test
  void eachTypeIsTheStatusAnthropicAnswersItWithAndBack() {
    for (String type : new String[] {"invalid_request_error", "authentication_error", "billing_error",
        "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "timeout_error",
        "overloaded_error"}) {
      assertThat(AnthropicErrorTypes.type(AnthropicErrorTypes.status(type))).as(type).isEqualTo(type);
    }
    assertThat(AnthropicErrorTypes.status("overloaded_error")).isEqualTo(529);
  }

  @Test
  void otherStatusesAreAnApiErrorOrAnInvalidRequestAndOtherTypesNoStatus() {
    assertThat(AnthropicErrorTypes.type(503)).isEqualTo("api_error");
    assertThat(AnthropicErrorTypes.type(409)).isEqualTo("invalid_request_error");
    assertThat(AnthropicErrorTypes.status("api_error")).isZero();
    assertThat(AnthropicErrorTypes.status(null)).isZero();
  }
}
