package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Digest;
import java.util.regex.Pattern;

/**
 * Tool-call ids made to fit a provider that accepts fewer than another one writes: Mistral takes nine letters and
 * digits only (400 "Tool call id was … but must be a-z, A-Z, 0-9, with a length of 9."), Anthropic letters, digits,
 * {@code _} and {@code -} (a Gemini id carrying a base64 thought signature has {@code +}, {@code /}, {@code =}),
 * OpenAI's own API at most 40 characters in chat and 64 in the Responses API (a Gemini id with its signature is
 * hundreds long), other OpenAI-protocol servers anything ({@link #AS_WRITTEN}).
 * A conversation begun with another provider, or falling back from one, gets each id that does not fit replaced
 * by one derived from it (the same for a call and for the result that names it); ids that fit stay.
 */
public final class ToolCallIdFit {
  /** Mistral's: nine letters and digits. */
  public static final ToolCallIdFit MISTRAL = new ToolCallIdFit(Pattern.compile("[a-zA-Z0-9]{9}"), 9);
  /** Anthropic's {@code tool_use} ids: letters, digits, {@code _} and {@code -}. */
  public static final ToolCallIdFit ANTHROPIC = new ToolCallIdFit(Pattern.compile("[a-zA-Z0-9_-]{1,64}"), 24);

  /** OpenAI's own Chat Completions API (and Azure's): at most 40 characters. */
  public static final ToolCallIdFit OPENAI_CHAT = new ToolCallIdFit(Pattern.compile("(?s).{0,40}"), 24);
  /** OpenAI's own Responses API: a {@code call_id} of at most 64 characters. */
  public static final ToolCallIdFit OPENAI_RESPONSES = new ToolCallIdFit(Pattern.compile("(?s).{0,64}"), 24);

  /**
   * Any id, as written: OpenAI-protocol servers other than OpenAI's own get the ids the client sent, as some carry
   * state in long ones (LiteLLM keeps a Gemini 3 thought signature inside the id, and needs it back whole).
   */
  public static final ToolCallIdFit AS_WRITTEN = new ToolCallIdFit(Pattern.compile("(?s).*"), 0);

  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private final Pattern accepted;
  private final int length;

  private ToolCallIdFit(Pattern accepted, int length) {
    this.accepted = accepted;
    this.length = length;
  }

  /** Returns {@code id} if it fits, else {@code length} letters and digits from its SHA-256 (32 bytes, each character from two of them). */
  public String of(String id) {
    if (accepted.matcher(id).matches()) {
      return id;
    }
    byte[] hash = new Digest().add(id).bytes();
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(DIGITS.charAt(((hash[i] & 0xff) << 8 | (hash[hash.length - 1 - i] & 0xff)) % DIGITS.length()));
    }
    return out.toString();
  }

  /**
   * Fits the ids of the tool calls and tool results in {@code messages} (OpenAI's shape). The message objects
   * must be the caller's own, but their values may be shared with the client's request (see
   * {@link ChatJson#openAiMessages}), which must not change: a fallback to another provider sends it again, with
   * its own ids. So a message's calls are replaced by a copy, never changed where they are.
   */
  public void fitMessages(ArrayNode messages) {
    for (JsonNode message : messages) {
      if (!(message instanceof ObjectNode node)) {
        continue;
      }
      if (node.path("tool_call_id").isTextual()) {
        node.put("tool_call_id", of(node.get("tool_call_id").asText()));
      }
      if (node.path("tool_calls").isArray() && !allFit(node.get("tool_calls"))) {
        ArrayNode calls = node.get("tool_calls").deepCopy();
        for (JsonNode call : calls) {
          if (call instanceof ObjectNode callNode && callNode.path("id").isTextual()) {
            callNode.put("id", of(callNode.get("id").asText()));
          }
        }
        node.set("tool_calls", calls);
      }
    }
  }

  private boolean allFit(JsonNode calls) {
    for (JsonNode call : calls) {
      if (call.path("id").isTextual() && !accepted.matcher(call.get("id").asText()).matches()) {
        return false;
      }
    }
    return true;
  }
}
