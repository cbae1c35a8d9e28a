package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.util.OptionalLong;

/**
 * The input tokens Anthropic's web fetch tool may bring into a call: each fetch's page or PDF is billed as input
 * tokens of the same call, which no count of the request's text sees. A {@code web_fetch_*} tool is bounded by its
 * {@code max_uses} (fetches per call) and {@code max_content_tokens} (tokens kept of each fetched document); without
 * both, nothing bounds it ({@link ToolFees} calls it unbounded). A pure function of the request, for the cost
 * estimate (docs/guides/budget-control.md, "Provider-side tools").
 *
 * <p>The provider runs its tools in a loop within the one call: it samples, fetches, and samples again over the
 * whole context, and each round bills its input anew (Anthropic bills server-tool results as input in every later
 * iteration of the loop, as its web search pricing says). With {@code F} fetches in all, there are at most
 * {@code F + 1} rounds, each billing the prompt, and the {@code j}-th fetched document is in at most {@code F + 1 - j}
 * of them; each of the {@code F} later rounds also bills what earlier rounds wrote as input, at most the call's
 * {@code max_tokens} {@code M}: at most {@code (F + 1) × prompt + F × (F + 1) / 2 × C + F × M}, with {@code C} the
 * largest {@code max_content_tokens}.
 */
public final class FetchedContent {
  private FetchedContent() {}

  /**
   * Returns whether a {@code web_fetch_*} tool bounds what it fetches: both its fields are integers of at least 1,
   * and the documents its fetches may bill over the loop are a number of tokens (no overflow).
   */
  static boolean bounded(JsonNode tool) {
    OptionalLong uses = ToolFees.positive(tool.get("max_uses"));
    OptionalLong tokens = ToolFees.positive(tool.get("max_content_tokens"));
    return uses.isPresent() && tokens.isPresent()
        && documents(uses.getAsLong(), tokens.getAsLong()) < Long.MAX_VALUE;
  }

  /** Returns the tokens {@code uses} documents of {@code tokens} each bill over the loop, saturated. */
  private static long documents(long uses, long tokens) {
    // F × (F + 1) / 2 without overflowing first: halve whichever of the two is even.
    long rounds = Usage.saturatedAdd(uses, 1);
    long pairs = uses % 2 == 0 ? saturatedMultiply(uses / 2, rounds) : saturatedMultiply(uses, rounds / 2);
    return saturatedMultiply(pairs, tokens);
  }

  /**
   * Returns the input tokens a call of {@code promptTokens} may bill with the bounded web fetch tools of
   * {@code request}, sent to a provider speaking {@code target} (see the class comment): those of the body the client
   * wrote in Anthropic's protocol and of {@code extra} when the target speaks it (where {@link ToolFees} reads tools
   * in Anthropic's terms), with the request's {@code max_tokens} as what earlier rounds may write. Without such
   * tools, {@code promptTokens}.
   */
  public static long plus(long promptTokens, ChatRequest request, WireProtocol target) {
    Fetches fetches = new Fetches();
    request.nativeBody()
        .filter(written -> written.protocol() == WireProtocol.ANTHROPIC_MESSAGES)
        .ifPresent(written -> fetches.add(written.body()));
    if (target == WireProtocol.ANTHROPIC_MESSAGES) {
      fetches.add(request.extra());
    }
    return fetches.billed(promptTokens, request.maxTokens());
  }

  /** The bounded fetch tools of a request: their fetches in all, and the most tokens one fetched document keeps. */
  private static final class Fetches {
    private long uses;
    private long largest;

    void add(JsonNode body) {
      JsonNode tools = body.get("tools");
      if (tools != null && tools.isArray()) {
        for (JsonNode tool : tools) {
          if (tool.path("type").asText("").startsWith("web_fetch_") && bounded(tool)) {
            uses = Usage.saturatedAdd(uses, ToolFees.positive(tool.get("max_uses")).getAsLong());
            largest = Math.max(largest, ToolFees.positive(tool.get("max_content_tokens")).getAsLong());
          }
        }
      }
    }

    long billed(long promptTokens, long maxTokens) {
      if (uses == 0) {
        return promptTokens;
      }
      long prompts = saturatedMultiply(Usage.saturatedAdd(uses, 1), promptTokens);
      long outputs = saturatedMultiply(uses, maxTokens); // earlier rounds' answers, input again in each later one
      return Usage.saturatedAdd(Usage.saturatedAdd(prompts, documents(uses, largest)), outputs);
    }
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long product = a * b;
    return high != 0 || product < 0 ? Long.MAX_VALUE : product;
  }
}
