package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an error inside a provider's stream stands for, as a status: the errors providers send, as they send them
 * (the {@code error} object of OpenAI's chat stream, of a Responses {@code response.failed} or {@code error} event, of
 * vLLM, Azure OpenAI, Gemini's OpenAI endpoint, and of Anthropic's shape relayed by an OpenAI-protocol proxy). A 400
 * read as 429 or 500 is retried in vain; a 429 read as 400 is made final.
 */
class ErrorEventStatusTest {
  private static int of(String error) {
    return ErrorEventStatus.of(Json.parseOrNull(error.getBytes()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # OpenAI, chat stream: type and code
      {"message": "Rate limit reached for gpt-4o on tokens per min (TPM)", "type": "tokens", "param": null, "code": "rate_limit_exceeded"} | 429
      {"message": "Rate limit reached on requests per min (RPM)", "type": "requests", "param": null, "code": "rate_limit_exceeded"} | 429
      {"message": "Rate limit reached", "type": "tokens"} | 429
      {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"} | 429
      {"message": "This model's maximum context length is 128000 tokens.", "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"} | 400
      {"message": "Invalid value for 'max_tokens'", "type": "invalid_request_error", "param": "max_tokens", "code": "invalid_value"} | 400
      {"message": "Bad request", "type": "invalid_request_error", "param": null, "code": null} | 400
      {"message": "The server had an error while processing your request.", "type": "server_error", "param": null, "code": null} | 500
      # OpenAI's authentication codes are its 401s, although "invalid" is in them or in their type (found in review)
      {"message": "Incorrect API key provided: sk-...", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"} | 401
      {"message": "OpenAI-Organization header should match organization for API key", "type": "invalid_request_error", "param": null, "code": "mismatched_organization"} | 401
      {"code": "invalid_api_key", "message": "Incorrect API key provided"} | 401
      # the code decides over the type: a rate limit under an "invalid" type, a refusal whose code names tokens
      {"message": "Rate limit reached for requests", "type": "invalid_request_error", "code": "rate_limit_exceeded"} | 429
      {"message": "Too many tokens in the prompt", "type": "invalid_request_error", "code": "too_many_tokens"} | 400
      {"message": "max_tokens is too large", "type": "invalid_request_error", "code": "max_tokens_exceeded"} | 400
      {"message": "Request too large for gpt-4o on tokens per min", "type": "tokens", "code": "rate_limit_exceeded"} | 429
      # OpenAI, Responses: response.failed's error (code only) and the error event (type "error")
      {"code": "rate_limit_exceeded", "message": "Rate limit reached"} | 429
      {"code": "server_error", "message": "The server had an error"} | 500
      {"code": "invalid_prompt", "message": "Invalid prompt"} | 400
      {"code": "image_too_large", "message": "The image is too large"} | 400
      {"code": "image_content_policy_violation", "message": "The image violates the policy"} | 400
      {"code": "invalid_base64_image", "message": "Invalid base64 image"} | 400
      {"code": "image_parse_error", "message": "The image could not be parsed"} | 400
      {"code": "unsupported_image_media_type", "message": "Unsupported image media type"} | 400
      {"code": "failed_to_download_image", "message": "Failed to download the image"} | 400
      {"code": "image_file_not_found", "message": "The image file was not found"} | 400
      # a code about images that is not one of the documented refusals may be the server's fault: retried
      {"code": "image_processing_unavailable", "message": "Image processing is unavailable"} | 500
      {"code": "vector_store_timeout", "message": "Timed out"} | 500
      {"type": "error", "code": "context_length_exceeded", "message": "Your input exceeds the context window", "param": "input"} | 400
      {"type": "error", "code": "server_error", "message": "Your input exceeds the context window of this model."} | 400
      # Anthropic's error types, relayed in an OpenAI-protocol stream: the statuses Anthropic answers them with
      {"type": "overloaded_error", "message": "Overloaded"} | 529
      {"type": "authentication_error", "message": "invalid x-api-key"} | 401
      {"type": "request_too_large", "message": "Request exceeds the maximum allowed number of bytes"} | 413
      {"type": "timeout_error", "message": "Request timed out"} | 504
      # ... whatever their code says in words: the type is Anthropic's own answer
      {"type": "authentication_error", "code": "invalid_api_key", "message": "invalid x-api-key"} | 401
      {"type": "overloaded_error", "code": "invalid_state", "message": "Overloaded"} | 529
      {"type": "permission_error", "code": "content_policy", "message": "Not allowed"} | 403
      # OpenAI's own overload, which it answers as a 503
      {"message": "The engine is currently overloaded", "type": "server_error", "code": "overloaded"} | 503
      {"type": "rate_limit_error", "message": "Number of request tokens has exceeded your per-minute rate limit"} | 429
      {"type": "invalid_request_error", "message": "max_tokens: Field required"} | 400
      {"type": "invalid_request_error", "message": "prompt is too long: 201234 tokens > 200000 maximum"} | 400
      {"type": "api_error", "message": "Internal server error"} | 500
      # vLLM, Azure OpenAI, Gemini's OpenAI endpoint: numeric statuses, also written as text
      {"object": "error", "message": "This model's maximum context length is 4096 tokens.", "type": "BadRequestError", "param": null, "code": 400} | 400
      {"object": "error", "message": "Too many requests", "type": "TooManyRequestsError", "code": 429} | 429
      {"object": "error", "message": "bad", "type": "BadRequestError"} | 400
      {"code": "429", "message": "Requests to the ChatCompletions_Create Operation have exceeded token rate limit"} | 429
      {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"} | 429
      {"message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"} | 429
      {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"} | 503
      {"status": 429, "message": "slow down"} | 429
      {"code": 200, "type": "server_error"} | 500
      {"code": "3051", "type": "invalid_request_error", "message": "Mistral's own code"} | 400
      """)
  void anErrorOfAProviderStandsForItsStatus(String error, int status) {
    assertThat(of(error)).isEqualTo(status);
  }

  @Test
  void anAnthropicTypeIsTheSameStatusInAnthropicsStreamAndRelayed() {
    for (String type : new String[] {"overloaded_error", "rate_limit_error", "invalid_request_error",
        "billing_error", "permission_error", "not_found_error"}) {
      assertThat(of("{\"type\": \"" + type + "\"}")).as(type).isEqualTo(ErrorEventStatus.ofAnthropicType(type));
    }
    assertThat(ErrorEventStatus.ofAnthropicType("overloaded_error")).isEqualTo(529);
    assertThat(ErrorEventStatus.ofAnthropicType("api_error")).isEqualTo(500);
    assertThat(ErrorEventStatus.ofAnthropicType(null)).isEqualTo(500);
  }

  @Test
  void anErrorWithNothingKnownInItIsAServerError() {
    assertThat(of("{}")).isEqualTo(500);
    assertThat(of("{\"message\": \"oops\"}")).isEqualTo(500);
    assertThat(of("{\"type\": \"error\", \"code\": \"ERR_SOMETHING\", \"message\": \"oops\"}")).isEqualTo(500);
  }
}
