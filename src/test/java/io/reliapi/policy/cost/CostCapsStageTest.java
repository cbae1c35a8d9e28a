package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The cost caps stage through a pipeline whose terminal records what would go to the provider. */
class CostCapsStageTest {
  static final GatewayConfig CONFIG = ConfigLoader.parse("""
      targets:
        openai:
          base_url: https://api.openai.com/v1
          fallback_targets: [claude]
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 1024, soft_cost_cap_usd: 0.0005}
        claude:
          base_url: https://api.anthropic.com/v1
          llm:
            provider: anthropic
            default_model: claude-haiku-4-5
            max_tokens: 512
            hard_cost_cap_usd: 0.01
            prices: {claude-opus-4-5: {input_per_1m: 5, output_per_1m: 25}}
        capped_unpriced:
          base_url: https://llm.internal/v1
          llm: {provider: openai, default_model: house-model, hard_cost_cap_usd: 0.01}
      """, name -> null);

  final List<ChatRequest> sent = new CopyOnWriteArrayList<>();
  final List<String> budgetEvents = new CopyOnWriteArrayList<>();
  final Pipeline pipeline = Pipeline.of(
      List.of(new CostCapsStage(PriceTable.of(CONFIG), TokenCounter.shared(), new GatewayEvents() {
        @Override
        public void budgetEvent(String target, String event) {
          budgetEvents.add(target + ":" + event);
        }
      })),
      (exchange, next) -> {
        sent.add(exchange.payload(ChatRequest.class).orElseThrow());
        return Future.succeededFuture(new Reply(200, Headers.empty(), Body.EMPTY));
      });

  static Exchange exchange(String primary, Optional<String> model, String prompt) {
    TargetConfig target = CONFIG.target(primary).orElseThrow();
    ChatRequest request = new ChatRequest(model, model.orElse(target.llm().get().defaultModel()),
        List.of(ChatMessage.text("user", prompt)), Optional.empty(), target.llm().get().maxTokens(), Optional.empty(),
        Optional.empty(), List.of(), false, ChatJson.object(), ChatJson.object(), Optional.empty());
    RequestContext context = new RequestContext("req_1", Route.PROXY_LLM, Caller.anonymous(), primary, 0,
        Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), true, new Trace(primary),
        new Cancellation());
    return new Exchange(context, target, new HttpCall("POST", "/chat/completions", Headers.empty(), Body.EMPTY), 0,
        Optional.of(request));
  }

  @Test
  void aFallbackTargetGetsItsOwnModelMaxTokensAndEstimate() {
    Exchange primary = exchange("openai", Optional.of("gpt-4o"), "Hello");
    pipeline.run(primary.withTarget(CONFIG.target("claude").orElseThrow()));

    ChatRequest toClaude = sent.getFirst();
    assertThat(toClaude.model()).isEqualTo("claude-haiku-4-5");
    assertThat(toClaude.maxTokens()).isEqualTo(512);
    // 8 prompt tokens × 1.0 / 1M + 512 × 5.0 / 1M
    assertThat(toClaude.estimate().orElseThrow().usd()).contains(0.002568);
    assertThat(primary.trace().model()).isEqualTo("claude-haiku-4-5");
    assertThat(primary.trace().costEstimateUsd()).isEqualTo(0.002568);
  }

  @Test
  void aFallbackKeepsTheRequestedModelWhenItServesIt() {
    Exchange primary = exchange("openai", Optional.of("claude-opus-4-5"), "Hello");
    pipeline.run(primary.withTarget(CONFIG.target("claude").orElseThrow()));
    // claude serves claude-opus-4-5 (it prices it); at 512 tokens it is over claude's hard cap, so no call.
    assertThat(primary.trace().model()).isEqualTo("claude-opus-4-5");
    assertThat(primary.trace().costPolicyApplied()).isEqualTo("hard_cap_rejected");
  }

  @Test
  void theSoftCapLowersMaxTokensAndRecordsWhatItDid() {
    // 8 × 0.15 / 1M = 0.0000012 for the prompt; (0.0005 − 0.0000012) / 0.0000006 = 831.33 → 831 tokens
    Exchange exchange = exchange("openai", Optional.empty(), "Hello");
    pipeline.run(exchange);

    assertThat(sent.getFirst().maxTokens()).isEqualTo(831);
    Trace trace = exchange.trace();
    assertThat(trace.costPolicyApplied()).isEqualTo("soft_cap_throttled");
    assertThat(trace.maxTokensReduced()).isTrue();
    assertThat(trace.originalMaxTokens()).isEqualTo(1024);
    assertThat(trace.costEstimateUsd()).isEqualTo(0.0004998);
    assertThat(budgetEvents).containsExactly("openai:soft_cap");
  }

  @Test
  void theHardCapRejectsBeforeAnyCallWithTheEstimateCapModelAndMaxTokens() {
    // 8 × 5 / 1M + 512 × 25 / 1M = 0.01284 > 0.01
    Exchange exchange = exchange("claude", Optional.of("claude-opus-4-5"), "Hello");
    var outcome = pipeline.run(exchange);

    assertThat(outcome.failed()).isTrue();
    GatewayException error = (GatewayException) outcome.cause();
    assertThat(error.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
    assertThat(error.details()).containsEntry("model", "claude-opus-4-5").containsEntry("max_tokens", 512);
    assertThat(error.details().get("estimate").toString()).isEqualTo("0.01284");
    assertThat(error.details().get("cap").toString()).isEqualTo("0.01");
    assertThat(exchange.trace().costPolicyApplied()).isEqualTo("hard_cap_rejected");
    assertThat(sent).isEmpty();
    assertThat(budgetEvents).containsExactly("claude:hard_cap");
  }

  @Test
  void anUnpricedModelOnACappedTargetIsRejected() {
    var outcome = pipeline.run(exchange("capped_unpriced", Optional.empty(), "Hello"));
    GatewayException error = (GatewayException) outcome.cause();
    assertThat(error.code()).isEqualTo(ErrorCode.MODEL_PRICE_UNKNOWN);
    assertThat(error.details()).isEqualTo(Map.of("model", "house-model"));
    assertThat(sent).isEmpty();
  }

  @Test
  void nonLlmExchangesPassUntouched() {
    Exchange exchange = exchange("openai", Optional.empty(), "Hello");
    Exchange plain = new Exchange(exchange.context(), exchange.target(), exchange.call(), 0);
    var seen = new CopyOnWriteArrayList<Exchange>();
    Pipeline.of(List.of(new CostCapsStage(PriceTable.of(CONFIG), TokenCounter.shared(), new GatewayEvents() {})),
        (ex, next) -> {
          seen.add(ex);
          return Future.succeededFuture(new Reply(200, Headers.empty(), Body.EMPTY));
        }).run(plain);
    assertThat(seen).containsExactly(plain);
  }
}
