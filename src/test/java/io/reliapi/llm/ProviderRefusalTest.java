package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each provider's way of saying a request is too long for the model or against its content policy. */
class ProviderRefusalTest {
  private static java.util.Optional<ProviderRefusal> of(int status, String body) {
    return ProviderRefusal.of(status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsOpenAisContextLengthCode() {
    assertThat(of(400, """
        {"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted \
        in 9631 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"""))
        .contains(ProviderRefusal.CONTEXT_LENGTH);
  }

  @Test
  void readsAnthropicsPromptIsTooLong() {
    assertThat(of(400, """
        {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208351 tokens > \
        200000 maximum"}}""")).contains(ProviderRefusal.CONTEXT_LENGTH);
  }

  @Test
  void readsGeminisInputTokenCount() {
    assertThat(of(400, """
        {"error":{"code":400,"message":"The input token count (1048577) exceeds the maximum number of tokens allowed \
        (1048576).","status":"INVALID_ARGUMENT"}}""")).contains(ProviderRefusal.CONTEXT_LENGTH);
  }

  @Test
  void readsContentPolicyRefusalsOfOpenAiAndAzure() {
    assertThat(of(400, """
        {"error":{"message":"Your request was rejected as a result of our safety system.",\
        "type":"invalid_request_error","param":null,"code":"content_policy_violation"}}"""))
        .contains(ProviderRefusal.CONTENT_FILTER);
    assertThat(of(400, """
        {"error":{"message":"The response was filtered","type":null,"param":"prompt","code":"content_filter",\
        "status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}""")).contains(ProviderRefusal.CONTENT_FILTER);
  }

  @Test
  void readsNothingIntoOtherErrorsOrStatuses() {
    assertThat(of(400, "{\"error\":{\"message\":\"Invalid value for temperature\",\"code\":\"invalid_value\"}}"))
        .isEmpty();
    assertThat(of(500, "{\"error\":{\"code\":\"context_length_exceeded\"}}")).isEmpty();
    assertThat(of(400, "not json")).isEmpty();
    assertThat(of(400, "")).isEmpty();
  }
}
