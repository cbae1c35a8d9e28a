package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.util.OptionalLong;

/**
 * The input tokens Anthropic's web fetch tool may bring into a call: each fetch's page or PDF is billed as input
 * tokens of the same call, which no count of the request's text sees. A {@code web_fetch_*} tool is bounded by its
 * {@code max_uses} (fetches per call) and {@code max_content_tokens} (tokens kept of each fetched document): at
 * most their product. Without both, nothing bounds it ({@link ToolFees} calls it unbounded). A pure function of
 * the request, for the cost estimate (docs/guides/budget-control.md, "Provider-side tools").
 */
public final class FetchedContent {
  private FetchedContent() {}

  /** Returns the bound of the fetched tokens of one {@code web_fetch_*} tool, or empty where a field is missing. */
  public static OptionalLong bound(JsonNode tool) {
    OptionalLong uses = positive(tool.get("max_uses"));
    OptionalLong tokens = positive(tool.get("max_content_tokens"));
    if (uses.isEmpty() || tokens.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Math.multiplyExact(uses.getAsLong(), tokens.getAsLong()));
    } catch (ArithmeticException tooLarge) {
      return OptionalLong.empty();
    }
  }

  /**
   * Returns {@code promptTokens} plus the input tokens the bounded web fetch tools of {@code request}, sent to a
   * provider speaking {@code target}, may add: those of the body the client wrote in Anthropic's protocol and of
   * {@code extra} when the target speaks it (where {@link ToolFees} reads tools in Anthropic's terms).
   */
  public static long plus(long promptTokens, ChatRequest request, WireProtocol target) {
    long body = request.nativeBody()
        .filter(written -> written.protocol() == WireProtocol.ANTHROPIC_MESSAGES)
        .map(written -> tokens(written.body()))
        .orElse(0L);
    long extra = target == WireProtocol.ANTHROPIC_MESSAGES ? tokens(request.extra()) : 0;
    return Usage.saturatedAdd(promptTokens, Usage.saturatedAdd(body, extra));
  }

  private static long tokens(JsonNode body) {
    JsonNode tools = body.get("tools");
    long sum = 0;
    if (tools != null && tools.isArray()) {
      for (JsonNode tool : tools) {
        if (tool.path("type").asText("").startsWith("web_fetch_")) {
          sum = Usage.saturatedAdd(sum, bound(tool).orElse(0));
        }
      }
    }
    return sum;
  }

  private static OptionalLong positive(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(node.asLong());
  }
}
