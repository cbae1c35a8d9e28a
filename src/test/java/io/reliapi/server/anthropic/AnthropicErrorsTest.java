package io.reliapi.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

  @Test
  void namesAnthropicsErrorTypeForEachStatus() {
    assertThat(AnthropicErrors.type(400)).isEqualTo("invalid_request_error");
    assertThat(AnthropicErrors.type(401)).isEqualTo("authentication_error");
    assertThat(AnthropicErrors.type(402)).isEqualTo("billing_error");
    assertThat(AnthropicErrors.type(403)).isEqualTo("permission_error");
    assertThat(AnthropicErrors.type(404)).isEqualTo("not_found_error");
    assertThat(AnthropicErrors.type(405)).isEqualTo("invalid_request_error");
    assertThat(AnthropicErrors.type(409)).isEqualTo("invalid_request_error");
    assertThat(AnthropicErrors.type(413)).isEqualTo("request_too_large");
    assertThat(AnthropicErrors.type(429)).isEqualTo("rate_limit_error");
    assertThat(AnthropicErrors.type(500)).isEqualTo("api_error");
    assertThat(AnthropicErrors.type(502)).isEqualTo("api_error");
    assertThat(AnthropicErrors.type(503)).isEqualTo("api_error");
    assertThat(AnthropicErrors.type(504)).isEqualTo("timeout_error");
    assertThat(AnthropicErrors.type(529)).isEqualTo("overloaded_error");
  }

  @Test
  void writesTheGatewaysCodeInTheMessageAndTheDetails() {
    GatewayException error = GatewayException.of(ErrorCode.UPSTREAM_ERROR, "The provider answered with status 529.")
        .withUpstreamStatus(529).withDetails(Map.of("provider_error", Map.of("type", "overloaded_error")));
    JsonNode json = Json.parseOrNull(AnthropicErrors.json(error, "req_1", "claude").getBytes());

    assertThat(json).isEqualTo(Json.parseOrNull("""
        {"type": "error", "error": {"type": "overloaded_error",
          "message": "UPSTREAM_ERROR: The provider answered with status 529.",
          "details": {"error_code": "UPSTREAM_ERROR", "type": "upstream_error", "code": "UPSTREAM_ERROR",
                      "message": "The provider answered with status 529.", "retryable": true, "target": "claude",
                      "status_code": 529, "upstream_status": 529,
                      "details": {"provider_error": {"type": "overloaded_error"}}}},
         "request_id": "req_1"}""".getBytes()));
  }
}
