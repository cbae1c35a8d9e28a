package io.reliapi.policy.fallback;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Providers;
import io.reliapi.llm.StopSequenceLimit;
import io.reliapi.llm.TokenCount;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.embeddings.Embedders;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.pipeline.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The targets a request may try, in order: the target itself, then each of its {@code fallback_targets}
 * followed by that target's own fallbacks (depth first), every target at most once.
 */
public final class FallbackChain {
  private FallbackChain() {}

  public static List<TargetConfig> of(Map<String, TargetConfig> targets, String first) {
    Set<String> names = new LinkedHashSet<>();
    collect(targets, first, names);
    List<TargetConfig> chain = new ArrayList<>(names.size());
    names.forEach(name -> chain.add(targets.get(name)));
    return List.copyOf(chain);
  }

  /**
   * Returns {@code tried} followed by the chains of {@code next} (each target with its own fallbacks, depth
   * first), every target at most once: where a request continues when it leaves its chain (a request too long
   * for the model goes to the target's {@code llm.context_fallback}).
   */
  public static List<TargetConfig> continuedBy(Map<String, TargetConfig> targets, List<TargetConfig> tried,
      List<String> next) {
    Set<String> names = new LinkedHashSet<>();
    tried.forEach(target -> names.add(target.name()));
    for (String name : next) {
      collect(targets, name, names);
    }
    List<TargetConfig> chain = new ArrayList<>(tried);
    names.stream().skip(tried.size()).forEach(name -> chain.add(targets.get(name)));
    return List.copyOf(chain);
  }

  /**
   * Returns the part of {@code chain} that can serve {@code exchange}. A chat call only a provider of its own
   * protocol can serve (a raw route's, whose client reads the provider's answer; one holding what no translation
   * carries, such as a Responses request with a hosted tool) moves on only to targets of the same provider that
   * would send it in the same protocol; the others are skipped. A call the gateway answers in the client's protocol
   * ({@code /v1/responses}, say) may otherwise move to any LLM target: one that does not speak the client's
   * protocol gets the translation, unless it holds more stop sequences than that target takes
   * ({@link StopSequenceLimit}). An embeddings request skips the targets whose provider
   * cannot embed it (Anthropic; token arrays anywhere but OpenAI-protocol servers). A token count stays on its
   * target (the route counts by itself when that fails).
   */
  public static List<TargetConfig> servable(List<TargetConfig> chain, Exchange exchange) {
    if (chain.size() > 1 && exchange.payload(TokenCount.class).isPresent()) {
      return List.of(chain.getFirst());
    }
    var embeddings = exchange.payload(EmbeddingRequest.class);
    if (embeddings.isPresent()) {
      // The route refused a first target that cannot embed; later ones that cannot are skipped.
      return chain.stream().filter(t -> t == chain.getFirst() || Embedders.serves(t, embeddings.get())).toList();
    }
    var chat = exchange.payload(ChatRequest.class);
    if (chat.isEmpty() || chain.size() == 1) {
      return chain;
    }
    if (!chat.get().nativeOnly()) {
      // The route refused a first target that takes fewer stop sequences than the request has; later ones are skipped.
      return chain.stream().filter(t -> t == chain.getFirst() || !StopSequenceLimit.exceeded(t, chat.get())).toList();
    }
    var protocol = exchange.target().llm().map(llm -> speaks(llm, chat.get()));
    return chain.stream().filter(t -> t.llm().map(llm -> speaks(llm, chat.get())).equals(protocol)).toList();
  }

  /**
   * The provider and protocol a target with {@code llm} would send {@code request} in: an OpenAI target without
   * the Responses API is no place for a Responses request only that API can carry.
   */
  private static Map.Entry<LlmConfig.Provider, WireProtocol> speaks(LlmConfig llm, ChatRequest request) {
    return Map.entry(llm.provider(), Providers.of(llm.provider()).serving(request, llm).protocol());
  }

  private static void collect(Map<String, TargetConfig> targets, String name, Set<String> names) {
    TargetConfig target = targets.get(name);
    if (target == null || !names.add(name)) {
      return;
    }
    for (String next : target.fallbackTargets()) {
      collect(targets, next, names);
    }
  }
}
