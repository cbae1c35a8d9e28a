package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.util.Locale;
import java.util.Optional;

/**
 * A provider's refusal of the request itself, which sending it again unchanged cannot mend: too long for the
 * model's context, or against the provider's content policy. Read from an error answer of any provider protocol
 * (OpenAI's and Mistral's {@code error.code}, Azure's {@code content_filter} and its inner code, Anthropic's
 * "prompt is too long", Gemini's "input token count … exceeds the maximum"); the message is read to recognise
 * it, never kept.
 */
public enum ProviderRefusal {
  CONTEXT_LENGTH("context_length"),
  CONTENT_FILTER("content_filter");

  private static final String[] CONTEXT_CODES = {"context_length_exceeded"};
  private static final String[] CONTEXT_MESSAGES = {"prompt is too long", "maximum context length",
      "exceeds the context window", "exceed context limit", "input token count"};
  private static final String[] FILTER_CODES = {"content_policy_violation", "content_filter",
      "responsibleaipolicyviolation"};

  private final String label;

  ProviderRefusal(String label) {
    this.label = label;
  }

  /** Returns the name used in {@code meta.fallback_reason} and the {@code X-ReliAPI-Fallback-Reason} header. */
  public String label() {
    return label;
  }

  /** Returns the refusal an error answer ({@code status} 400–499 with {@code body}) carries, or empty. */
  public static Optional<ProviderRefusal> of(int status, byte[] body) {
    if (status < 400 || status >= 500 || body == null || body.length == 0) {
      return Optional.empty();
    }
    JsonNode root = Json.parseOrNull(body);
    if (root == null) {
      return Optional.empty();
    }
    JsonNode error = root.path("error").isObject() ? root.get("error") : root;
    String codes = String.join(" ", error.path("code").asText(""), error.path("type").asText(""),
        error.path("status").asText(""), error.path("innererror").path("code").asText("")).toLowerCase(Locale.ROOT);
    if (containsAny(codes, FILTER_CODES)) {
      return Optional.of(CONTENT_FILTER);
    }
    if (containsAny(codes, CONTEXT_CODES)) {
      return Optional.of(CONTEXT_LENGTH);
    }
    return saysContextLength(error.path("message").asText("")) ? Optional.of(CONTEXT_LENGTH) : Optional.empty();
  }

  /** Returns whether a provider's error message says the request is too long for the model. */
  public static boolean saysContextLength(String message) {
    return containsAny(message.toLowerCase(Locale.ROOT), CONTEXT_MESSAGES);
  }

  private static boolean containsAny(String text, String[] needles) {
    for (String needle : needles) {
      if (text.contains(needle)) {
        return true;
      }
    }
    return false;
  }
}
