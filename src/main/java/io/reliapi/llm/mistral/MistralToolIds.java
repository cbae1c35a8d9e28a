package io.reliapi.llm.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Mistral accepts only tool-call ids of nine letters and digits (it answers 400 "Tool call id was … but must be
 * a-z, A-Z, 0-9, with a length of 9." otherwise), while Anthropic's are {@code toolu_…}, OpenAI's {@code call_…}.
 * A conversation begun with another provider (or falling back from one) gets each foreign id replaced by nine
 * characters derived from it, the same for a call and for the result that names it; Mistral's own ids stay.
 */
final class MistralToolIds {
  private static final Pattern ACCEPTED = Pattern.compile("[a-zA-Z0-9]{9}");
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int LENGTH = 9;

  private MistralToolIds() {}

  /** Rewrites the ids of {@code messages}' tool calls and of the tool results that name them, in place. */
  static void adapt(JsonNode messages) {
    for (JsonNode message : messages) {
      if (!(message instanceof ObjectNode node)) {
        continue;
      }
      if (node.path("tool_call_id").isTextual()) {
        node.put("tool_call_id", of(node.get("tool_call_id").asText()));
      }
      for (JsonNode call : node.path("tool_calls")) {
        if (call instanceof ObjectNode callNode && callNode.path("id").isTextual()) {
          callNode.put("id", of(callNode.get("id").asText()));
        }
      }
    }
  }

  /** Returns {@code id} if Mistral accepts it, else nine letters and digits from its SHA-256 (62^9 values). */
  static String of(String id) {
    if (ACCEPTED.matcher(id).matches()) {
      return id;
    }
    byte[] hash = sha256(id);
    StringBuilder out = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      out.append(DIGITS.charAt(((hash[2 * i] & 0xff) << 8 | (hash[2 * i + 1] & 0xff)) % DIGITS.length()));
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
