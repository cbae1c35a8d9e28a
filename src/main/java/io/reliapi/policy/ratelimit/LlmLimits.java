package io.reliapi.policy.ratelimit;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmLimitsConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.embeddings.EmbeddingAnswer;
import io.reliapi.store.UsageLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which request and token limits one LLM attempt counts on (its target's {@code llm.limits}, its client's
 * {@code limits}), and how many tokens it reserves. A pure function of the config and the request.
 */
public final class LlmLimits {
  private LlmLimits() {}

  /** Returns the limits an attempt of {@code client} on {@code target} counts on; empty when none. */
  public static List<UsageLimit> of(Optional<ClientConfig> client, TargetConfig target) {
    List<UsageLimit> limits = new ArrayList<>(2);
    target.llm().flatMap(LlmConfig::limits).ifPresent(l -> limits.add(limit("target:" + target.name(), l)));
    client.ifPresent(c -> c.limits().ifPresent(l -> limits.add(limit("client:" + c.name(), l))));
    return limits;
  }

  /**
   * Returns the tokens an attempt reserves: its prompt plus the most it may generate ({@code max_tokens} for
   * each of its choices), as the cost caps stage estimated them; settled to the real count afterwards.
   */
  public static long reservedTokens(PricedRequest request) {
    return request.estimate().map(e -> e.promptTokens() + (long) e.maxTokens() * request.choices())
        .orElse((long) request.maxTokens() * request.choices());
  }

  /** Returns {@code client} or {@code target}: whose limit a limit name is. */
  static String owner(String name) {
    return name.startsWith("client:") ? "client" : "target";
  }

  private static UsageLimit limit(String name, LlmLimitsConfig config) {
    return new UsageLimit(name, config.rpm().orElse(0L), config.tpm().orElse(0L));
  }
}
