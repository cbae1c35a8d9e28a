package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's refusal of a request too long for the model, told in the words clients look for. Agents shrink
 * their context when an error says so, and each recognises one phrasing: Claude Code and Anthropic's tools
 * search the message for Anthropic's "prompt is too long" (and "input length and `max_tokens` exceed context
 * limit", then they lower {@code max_tokens}), OpenAI-protocol libraries for "maximum context length" or the code
 * {@code context_length_exceeded}. The gateway never passes a provider's message on (it may quote a credential),
 * so it writes its own sentence with every phrase, and with the token counts when the provider's message states
 * them: only digits are taken from it.
 */
public record ContextOverflow(long promptTokens, long outputTokens, long maxTokens) {
  public static final String CODE = "context_length_exceeded";
  private static final long UNKNOWN = -1;
  /** Anthropic: "input length and `max_tokens` exceed context limit: 180000 + 32000 > 200000, …". */
  private static final Pattern WITH_OUTPUT = Pattern.compile("context limit: (\\d+) \\+ (\\d+) > (\\d+)");
  /** Anthropic: "prompt is too long: 208351 tokens > 200000 maximum". */
  private static final Pattern PROMPT_OVER = Pattern.compile("(\\d+) tokens > (\\d+) maximum");
  /** OpenAI: "maximum context length is 8192 tokens. However, your messages resulted in 9631 tokens". */
  private static final Pattern MAX_THEN_PROMPT = Pattern.compile(
      "maximum context length is (\\d+) tokens.{0,80}?(?:resulted in|requested) (\\d+) tokens");
  /** Mistral: "Prompt contains 40000 tokens … too large for model with 32768 maximum context length". */
  private static final Pattern PROMPT_THEN_MAX = Pattern.compile(
      "contains (\\d+) tokens.{0,80}? with (\\d+) maximum context length", Pattern.CASE_INSENSITIVE);
  /** Gemini: "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576)". */
  private static final Pattern COUNT_THEN_ALLOWED = Pattern.compile(
      "token count \\((\\d+)\\) exceeds the maximum number of tokens allowed \\((\\d+)\\)");

  /** Returns the overflow an error answer carries, with the counts its message states, or empty if none. */
  public static Optional<ContextOverflow> of(int status, byte[] body) {
    if (ProviderRefusal.of(status, body).orElse(null) != ProviderRefusal.CONTEXT_LENGTH) {
      return Optional.empty();
    }
    JsonNode root = Json.parseOrNull(body);
    JsonNode error = root != null && root.path("error").isObject() ? root.get("error") : root;
    return Optional.of(fromMessage(error == null ? "" : error.path("message").asText("")));
  }

  /** Reads the token counts out of a provider's message; counts it does not state are unknown. */
  static ContextOverflow fromMessage(String message) {
    Matcher m = WITH_OUTPUT.matcher(message);
    if (m.find()) {
      return new ContextOverflow(number(m.group(1)), number(m.group(2)), number(m.group(3)));
    }
    m = PROMPT_OVER.matcher(message);
    if (m.find()) {
      return new ContextOverflow(number(m.group(1)), UNKNOWN, number(m.group(2)));
    }
    m = MAX_THEN_PROMPT.matcher(message);
    if (m.find()) {
      return new ContextOverflow(number(m.group(2)), UNKNOWN, number(m.group(1)));
    }
    for (Pattern promptThenMax : new Pattern[] {PROMPT_THEN_MAX, COUNT_THEN_ALLOWED}) {
      m = promptThenMax.matcher(message);
      if (m.find()) {
        return new ContextOverflow(number(m.group(1)), UNKNOWN, number(m.group(2)));
      }
    }
    return new ContextOverflow(UNKNOWN, UNKNOWN, UNKNOWN);
  }

  private static long number(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return UNKNOWN;
    }
  }

  /**
   * Returns the sentence for the client: Anthropic's words (a prompt too long, or input and {@code max_tokens}
   * together over the limit, which clients answer differently), then OpenAI's phrase and code.
   */
  public String sentence() {
    String said;
    if (promptTokens >= 0 && outputTokens >= 0 && maxTokens >= 0) {
      said = "input length and `max_tokens` exceed context limit: " + promptTokens + " + " + outputTokens + " > "
          + maxTokens;
    } else if (promptTokens >= 0 && maxTokens >= 0) {
      said = "prompt is too long: " + promptTokens + " tokens > " + maxTokens + " maximum";
    } else {
      said = "prompt is too long";
    }
    return said + ", over the model's maximum context length (" + CODE + ")";
  }
}
