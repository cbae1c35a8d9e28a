package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP status an error sent inside a provider's stream stands for, so it is retried, refused or fallen back
 * from as the same error sent as a status would be. Read from the error's {@code code} or {@code status} when it is
 * a status (vLLM and Gemini send {@code "code": 400}, Azure OpenAI {@code "code": "429"}), else from its words: the
 * {@code code} first, the most specific (OpenAI sends {@code rate_limit_exceeded} under a {@code tokens} type,
 * {@code context_length_exceeded} under {@code invalid_request_error}), then the {@code type}, then Gemini's
 * textual {@code status}; but first a {@code type} that is one of Anthropic's error types stands for the status
 * Anthropic's HTTP API answers it with ({@link AnthropicErrorTypes}), whether in Anthropic's stream or relayed in an
 * OpenAI-protocol one, whatever its {@code code} ({@code authentication_error} with {@code invalid_api_key} is a
 * 401), but for {@code invalid_request_error}, OpenAI's type too, under which its code is the more specific (a
 * rate limit under it is still one). Otherwise a request the model cannot take (too long, against the content
 * policy, a bad image, otherwise invalid; also when only the message says it is too long) is a 400, but OpenAI's
 * {@code invalid_api_key} and {@code mismatched_organization} are 401s, as it answers them; a rate limit or
 * exhausted quota 429, another overload 503 (as OpenAI answers one), anything else 500.
 */
public final class ErrorEventStatus {
  /** OpenAI's rate-limit types, which name what was limited; as parts of a word they would catch refusals too. */
  private static final Set<String> LIMITED = Set.of("tokens", "requests");
  /**
   * The Responses API's documented codes for an image it cannot use (its {@code invalid_image*} codes are read as
   * invalid anyway). Named one by one: another code about images may be the server's fault, and is retried.
   */
  private static final Set<String> IMAGE_REFUSALS = Set.of("image_too_large", "image_too_small", "image_parse_error",
      "image_content_policy_violation", "image_file_too_large", "unsupported_image_media_type", "empty_image_file",
      "failed_to_download_image", "image_file_not_found");
  /**
   * OpenAI's codes for a refused key or organization, which its HTTP API answers with 401: read by their words,
   * {@code invalid_api_key} (or its {@code invalid_request_error} type) would be a 400.
   */
  private static final Set<String> OPENAI_AUTH_CODES = Set.of("invalid_api_key", "mismatched_organization");
  private static final int UNKNOWN = 0;
  /** The one type both Anthropic and OpenAI send: OpenAI's codes under it say more than it does. */
  private static final String SHARED_TYPE = "invalid_request_error";

  private ErrorEventStatus() {}

  public static int of(JsonNode error) {
    for (String field : new String[] {"code", "status"}) {
      int status = status(error.path(field));
      if (status != UNKNOWN) {
        return status;
      }
    }
    String type = error.path("type").asText("");
    int anthropic = AnthropicErrorTypes.status(type);
    if (anthropic != UNKNOWN && !type.equals(SHARED_TYPE)) {
      return anthropic;
    }
    for (String field : new String[] {"code", "type", "status"}) {
      int status = ofWord(error.path(field).asText("").toLowerCase(Locale.ROOT));
      if (status != UNKNOWN) {
        return status;
      }
    }
    return ProviderRefusal.saysContextLength(error.path("message").asText("")) ? 400 : 500;
  }

  /**
   * Returns the status of one of Anthropic's error types ({@link AnthropicErrorTypes}), or 500 for another type: an
   * error event of Anthropic's stream and the same type relayed by an OpenAI-protocol proxy are the same status.
   */
  public static int ofAnthropicType(String type) {
    int status = AnthropicErrorTypes.status(type);
    return status != UNKNOWN ? status : 500;
  }

  /** Returns the error status {@code node} holds, as a number or a number written as text, or {@link #UNKNOWN}. */
  private static int status(JsonNode node) {
    String text = node.isTextual() ? node.asText().strip() : null;
    if (text != null && !text.matches("[45][0-9][0-9]")) {
      return UNKNOWN;
    }
    int status = text != null ? Integer.parseInt(text) : node.canConvertToInt() ? node.asInt() : UNKNOWN;
    return status >= 400 && status <= 599 ? status : UNKNOWN;
  }

  /** Returns the status one word of the error (its code, type or status name) stands for, or {@link #UNKNOWN}. */
  private static int ofWord(String word) {
    int anthropic = AnthropicErrorTypes.status(word);
    if (anthropic != UNKNOWN) {
      return anthropic;
    }
    if (OPENAI_AUTH_CODES.contains(word)) {
      return 401;
    }
    if (word.contains("rate_limit") || word.contains("quota") || word.equals("resource_exhausted")
        || LIMITED.contains(word) || word.contains("toomanyrequests")) {
      return 429;
    }
    if (word.contains("context_length") || word.contains("content_policy") || word.contains("content_filter")
        || word.contains("invalid") || word.contains("badrequest") || IMAGE_REFUSALS.contains(word)) {
      return 400;
    }
    return word.contains("overloaded") ? 503 : UNKNOWN;
  }
}
