package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.util.List;
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
  /** Only the start of a message is read: its counts come first, and a hostile provider's size costs nothing. */
  private static final int READ_CHARS = 2048;
  /** A count: at most 19 digits (a long), never the middle of a longer run, so no match backtracks far. */
  private static final String N = "(?<!\\d)(\\d{1,19})";
  /** Each provider's wording, with the groups that hold the prompt, the output and the limit (0: not stated). */
  private static final List<Wording> WORDINGS = List.of(
      // Anthropic: "input length and `max_tokens` exceed context limit: 180000 + 32000 > 200000, …"
      new Wording("context limit: " + N + " \\+ " + N + " > " + N, 1, 2, 3),
      // vLLM: "… maximum context length is 4096 tokens and your request has 3000 input tokens (2000 > 4096 - 3000)"
      new Wording("request has " + N + " input tokens \\(" + N + " > " + N, 1, 2, 3),
      // OpenAI-protocol servers: "… maximum context length is 4096 tokens. However, you requested 5000 tokens
      // (4000 in the messages, 1000 in the completion)"
      new Wording("maximum context length is " + N + " tokens.{0,120}?\\(" + N + " in the messages, " + N
          + " in the completion\\)", 2, 3, 1),
      // Anthropic: "prompt is too long: 208351 tokens > 200000 maximum"
      new Wording(N + " tokens > " + N + " maximum", 1, 0, 2),
      // OpenAI: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9631 tokens"
      new Wording("maximum context length is " + N + " tokens.{0,120}?(?:resulted in|requested|request has) " + N
          + " (?:input )?tokens", 2, 0, 1),
      // Mistral: "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context
      // length"
      new Wording("(?i)contains " + N + " tokens.{0,80}? with " + N + " maximum context length", 1, 0, 2),
      // Gemini: "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576)"
      new Wording("token count \\(" + N + "\\) exceeds the maximum number of tokens allowed \\(" + N + "\\)", 1, 0, 2));

  private record Wording(Pattern pattern, int prompt, int output, int max) {
    Wording(String regex, int prompt, int output, int max) {
      this(Pattern.compile(regex), prompt, output, max);
    }

    ContextOverflow read(Matcher m) {
      return new ContextOverflow(group(m, prompt), group(m, output), group(m, max));
    }

    private static long group(Matcher m, int group) {
      return group == 0 ? UNKNOWN : number(m.group(group));
    }
  }

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
    String start = message.length() > READ_CHARS ? message.substring(0, READ_CHARS) : message;
    for (Wording wording : WORDINGS) {
      Matcher m = wording.pattern().matcher(start);
      if (m.find()) {
        return wording.read(m);
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
    return said + ", over the model's maximum context length";
  }
}
