package io.reliapi.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.ErrorObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

  @Test
  void namesAnthropicsErrorTypeForEachStatus() {
    assertThat(ErrorObject.anthropicType(400)).isEqualTo("invalid_request_error");
    assertThat(ErrorObject.anthropicType(401)).isEqualTo("authentication_error");
    assertThat(ErrorObject.anthropicType(402)).isEqualTo("billing_error");
    assertThat(ErrorObject.anthropicType(403)).isEqualTo("permission_error");
    assertThat(ErrorObject.anthropicType(404)).isEqualTo("not_found_error");
    assertThat(ErrorObject.anthropicType(405)).isEqualTo("invalid_request_error");
    assertThat(ErrorObject.anthropicType(409)).isEqualTo("invalid_request_error");
    assertThat(ErrorObject.anthropicType(413)).isEqualTo("request_too_large");
    assertThat(ErrorObject.anthropicType(429)).isEqualTo("rate_limit_error");
    assertThat(ErrorObject.anthropicType(500)).isEqualTo("api_error");
    assertThat(ErrorObject.anthropicType(502)).isEqualTo("api_error");
    assertThat(ErrorObject.anthropicType(503)).isEqualTo("api_error");
    assertThat(ErrorObject.anthropicType(504)).isEqualTo("timeout_error");
    assertThat(ErrorObject.anthropicType(529)).isEqualTo("overloaded_error");
  }

  @Test
  void writesTheGatewaysCodeInTheMessageAndTheDetails() {
    GatewayException error = GatewayException.of(ErrorCode.UPSTREAM_ERROR, "The provider answered with status 529.")
        .withUpstreamStatus(529).withDetails(Map.of("provider_error", Map.of("type", "overloaded_error")));
    JsonNode json = Json.parseOrNull(ErrorObject.anthropic(error, "req_1", "claude").getBytes());

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
