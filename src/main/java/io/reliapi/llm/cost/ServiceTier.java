package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import java.util.Optional;

/**
 * OpenAI's service tiers, as they bear on the estimate. {@code "priority"} is billed above the standard price: a call
 * asking for it is priced at the model's priority price ({@link TierPrices}), and cannot be bounded where the table
 * has none. {@code "flex"} is billed below it: priced as standard, its estimate is an over-estimate, which is safe.
 * Other providers drop the field or have no priority tier (docs/guides/budget-control.md, "Service tiers").
 */
public final class ServiceTier {
  static final String PRIORITY = "priority";

  private ServiceTier() {}

  /**
   * Returns the field of {@code request} that asks for the priority tier, wherever it reaches an OpenAI target: the
   * body the client wrote, the request's options, or {@code /proxy/llm}'s {@code extra}; empty when none does.
   */
  public static Optional<String> priorityField(ChatRequest request) {
    JsonNode written = request.nativeBody().map(NativeBody::body).orElse(null);
    if (priority(written) || priority(request.options())) {
      return Optional.of("service_tier");
    }
    return priority(request.extra()) ? Optional.of("extra.service_tier") : Optional.empty();
  }

  private static boolean priority(JsonNode body) {
    return body != null && PRIORITY.equals(body.path("service_tier").asText(""));
  }
}
