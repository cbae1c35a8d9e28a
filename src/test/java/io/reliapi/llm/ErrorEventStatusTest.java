package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import org.junit.jupiter.api.Test;

/** What an error inside a provider's stream stands for, as a status. */
class ErrorEventStatusTest {
  private static int of(String error) {
    return ErrorEventStatus.of(Json.parseOrNull(error.getBytes()));
  }

  @Test
  void aNumericCodeOrStatusIsTheStatus() {
    assertThat(of("{\"object\":\"error\",\"type\":\"BadRequestError\",\"message\":\"bad\",\"code\":400}"))
        .as("vLLM's refusal read as a retryable 500").isEqualTo(400);
    assertThat(of("{\"status\":429,\"message\":\"slow down\"}")).isEqualTo(429);
    assertThat(of("{\"code\":200,\"type\":\"server_error\"}")).as("not an error status").isEqualTo(500);
  }

  @Test
  void wordsOfTypeAndCodeThenOfTheMessage() {
    assertThat(of("{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}")).isEqualTo(400);
    assertThat(of("{\"type\":\"invalid_request_error\",\"code\":\"invalid_max_tokens\"}")).isEqualTo(400);
    assertThat(of("{\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}")).isEqualTo(429);
    assertThat(of("{\"code\":\"insufficient_quota\"}")).isEqualTo(429);
    assertThat(of("{\"type\":\"overloaded_error\"}")).isEqualTo(503);
    assertThat(of("{\"object\":\"error\",\"type\":\"BadRequestError\",\"message\":\"bad\"}")).isEqualTo(400);
    assertThat(of("{\"message\":\"prompt is too long: 5 tokens > 4 maximum\"}")).isEqualTo(400);
    assertThat(of("{\"type\":\"server_error\",\"message\":\"oops\"}")).isEqualTo(500);
  }
}
