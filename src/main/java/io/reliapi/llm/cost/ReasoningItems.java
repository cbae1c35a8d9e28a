package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
        tokens += boundTokens(item);
      }
    }
    return tokens;
  }

  /**
   * Returns the length of {@code encrypted_content} plus the bytes of the item's JSON without it, summed member by
   * member as {@link JsonNode#toString} writes them (compact), so the item is not copied to size it.
   */
  private static long boundTokens(JsonNode item) {
    long tokens = 2; // the braces
    int members = 0;
    for (var member : item.properties()) {
      if (member.getKey().equals("encrypted_content") && member.getValue().isTextual()) {
        tokens += member.getValue().textValue().length();
        continue;
      }
      tokens += bytes(TextNode.valueOf(member.getKey()).toString()) + 1 + bytes(member.getValue().toString());
      members++;
    }
    return tokens + Math.max(0, members - 1); // the commas
  }

  private static long bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }
}
