package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.nio.charset.StandardCharsets;

/**
 * The reasoning items a Responses API body sends back in {@code input} (a tool loop's earlier reasoning, Codex CLI's),
 * which a Responses API target is sent as written and may bill as input. The reasoning is encrypted, so its tokens
 * cannot be counted, only bounded (docs/guides/budget-control.md, "Reasoning items sent back"): one token per
 * character of {@code encrypted_content}, and the item's other members (its summaries) at one per byte of their JSON.
 * A token is at least one byte of text and base64 carries three bytes in four characters, so unless the provider
 * compresses the reasoning before encrypting it, the item holds fewer tokens than this.
 */
public final class ReasoningItems {
  private ReasoningItems() {}

  /** Returns the most tokens the reasoning items of {@code request}'s Responses API body can be billed as; 0 if none. */
  public static long boundTokens(ChatRequest request) {
    NativeBody body = request.nativeBody().orElse(null);
    if (body == null || body.protocol() != WireProtocol.OPENAI_RESPONSES || !body.body().path("input").isArray()) {
      return 0;
    }
    long tokens = 0;
    for (JsonNode item : body.body().get("input")) {
      if (item.path("type").asText("").equals("reasoning")) {
        tokens += boundTokens((ObjectNode) item);
      }
    }
    return tokens;
  }

  private static long boundTokens(ObjectNode item) {
    JsonNode encrypted = item.path("encrypted_content");
    ObjectNode rest = item;
    long tokens = 0;
    if (encrypted.isTextual()) {
      rest = item.deepCopy();
      rest.remove("encrypted_content");
      tokens = encrypted.asText().length();
    }
    return tokens + rest.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
