package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps extended thinking's {@code budget_tokens} below the {@code max_tokens} the gateway sends. The thinking
 * budget is part of the output, and Anthropic refuses a budget that is not below {@code max_tokens} (400), so
 * when a target's {@code llm.max_tokens} or a soft cost cap lowers {@code max_tokens} under the client's budget,
 * the budget comes down with it, to the most the limit leaves ({@code max_tokens - 1}). Below Anthropic's
 * smallest budget (1 024 tokens) no thinking fits: the request is refused before it is sent. A client whose own
 * {@code max_tokens} was not above its budget gets Anthropic's answer to that request, as it wrote it.
 */
final class ThinkingBudget {
  static final long MIN_BUDGET = 1024;

  private ThinkingBudget() {}

  /**
   * Fits {@code body}'s thinking budget under its {@code max_tokens} where the gateway lowered it below the
   * client's {@code requested} limit (or chose it: none requested); the client's own objects are not changed.
   */
  static void fit(ObjectNode body, Optional<Integer> requested) {
    JsonNode thinking = body.get("thinking");
    if (thinking == null || !thinking.path("type").asText("").equals("enabled")
        || !thinking.path("budget_tokens").canConvertToLong()) {
      return;
    }
    long maxTokens = body.path("max_tokens").asLong();
    long budget = thinking.get("budget_tokens").asLong();
    if (budget < maxTokens || requested.isPresent() && budget >= requested.get()) {
      return;
    }
    if (maxTokens - 1 < MIN_BUDGET) {
      throw GatewayException.of(ErrorCode.INVALID_REQUEST, "Extended thinking needs max_tokens above " + MIN_BUDGET
              + "; this target's output limit or cost cap leaves " + maxTokens + ".")
          .withDetails(Map.of("max_tokens", maxTokens, "budget_tokens", budget));
    }
    ObjectNode fitted = ((ObjectNode) thinking).deepCopy();
    fitted.put("budget_tokens", maxTokens - 1);
    body.set("thinking", fitted);
  }
}
