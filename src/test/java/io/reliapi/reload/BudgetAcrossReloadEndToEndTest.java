package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Period budgets and the hard cost cap across a reload, in memory and on Redis. The prompt "Hello" is 8 tokens and
 * max_tokens is 100, so on gpt-4o-mini every attempt reserves 0.0000612 USD; an answer of 8 + 100 tokens costs
 * exactly that, one of 8 + 2 tokens 0.0000024. The first call is held by the upstream until the test answers it;
 * the others are answered at once with 8 + 2 tokens.
 */
class BudgetAcrossReloadEndToEndTest extends AcrossReload {

  private String config(String target, String llmExtras) {
    return "targets:\n  " + target + ":\n    base_url: \"" + up.baseUrl() + "/v1\"\n"
        + "    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100" + llmExtras + "}\n"
        + "    retry_matrix: {\"5xx\": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}\n";
  }

  /** Starts the gateway and sends the first call to {@code openai}, which the upstream holds with its reservation. */
  private CompletableFuture<Res> startHoldingOne(Store store, String config) {
    up.script("POST /v1/chat/completions", held::add);
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    gw = ReloadableGateway.start(dir, store, config, Map.of(), new ManualClock());
    CompletableFuture<Res> first = gw.http.postAsync("/proxy/llm", body("openai"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    return first;
  }

  private static String body(String target) {
    return "{\"target\": \"" + target + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
  }

  private Res ask(String target) {
    return gw.http.post("/proxy/llm", body(target));
  }

  /** Answers the held call with 8 + 100 tokens, the whole of its reservation. */
  private void answerHeldInFull(CompletableFuture<Res> first) throws Exception {
    LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100).respond(held.poll());
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  private static void assertRefused(Res res, int status, String code) {
    assertThat(res.status()).as(res.body()).isEqualTo(status);
    assertThat(res.json().get("error").get("code").asText()).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aBudgetLoweredWhileAReservationIsInFlightCountsThatReservation(Store store) throws Exception {
    CompletableFuture<Res> first = startHoldingOne(store, config("openai", ", budget: {daily_usd: 0.001}"));

    gw.reload(config("openai", ", budget: {daily_usd: 0.0001}"));
    // 0.0000612 reserved + 0.0000612 asked > 0.0001.
    assertRefused(ask("openai"), 429, "BUDGET_EXHAUSTED");
    LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2).respond(held.poll());
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    // Settled at 0.0000024: the next reservation fits.
    assertThat(ask("openai").status()).isEqualTo(200);
    assertThat(up.count("/v1/chat/completions")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aHardCapLoweredBelowAnEstimateRefusesNewRequestsAndLetsTheOneInFlightFinish(Store store) throws Exception {
    CompletableFuture<Res> first = startHoldingOne(store, config("openai", ", hard_cost_cap_usd: 0.01"));

    gw.reload(config("openai", ", hard_cost_cap_usd: 0.00005"));
    assertRefused(ask("openai"), 400, "BUDGET_EXCEEDED");
    answerHeldInFull(first);
    assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aRenamedTargetIsANewTargetWithItsOwnBudgetAndTheRequestInFlightIsChargedOnceToTheOldName(Store store)
      throws Exception {
    CompletableFuture<Res> first = startHoldingOne(store, config("openai", ", budget: {daily_usd: 0.0001}"));

    gw.reload(config("renamed", ", budget: {daily_usd: 0.0001}"));
    assertThat(ask("renamed").status()).isEqualTo(200);  // 0.0000024 spent under the new name
    answerHeldInFull(first);  // 0.0000612 spent under the old name
    // Charged twice, 0.0000024 + 0.0000612 + 0.0000612 reserved would be over 0.0001.
    assertThat(ask("renamed").status()).isEqualTo(200);

    gw.reload(config("openai", ", budget: {daily_usd: 0.0001}"));
    // The old name's spending is remembered: 0.0000612 + 0.0000612 > 0.0001.
    assertRefused(ask("openai"), 429, "BUDGET_EXHAUSTED");
  }
}
