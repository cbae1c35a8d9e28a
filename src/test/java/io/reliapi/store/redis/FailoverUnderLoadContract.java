package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.redis.FailoverLoad.Answer;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The primary holding a client's idempotency records and the budget ledger is killed ({@code SIGKILL})
 * while two gateway instances serve that client's keyed POSTs (each key sent to both at once) and budgeted
 * LLM calls; a replica takes its place (issue 17, item 2). No key executes twice; every answer is the
 * key's one answer or a clean {@code STORE_UNAVAILABLE} / {@code IDEMPOTENCY_OUTCOME_UNKNOWN}; errors stop
 * within seconds; the provider is never paid past the budget. Claims and reservations wait for a replica
 * ({@code wait_replicas: 1}), so none acknowledged before the kill is missing on the promoted replica.
 */
abstract class FailoverUnderLoadContract {
  /** The budget affords this many calls: 8 prompt and 10 completion tokens of gpt-4o-mini, 0.0000072 USD each. */
  static final int AFFORDABLE_CALLS = 40;
  static final long CALL_NANO_USD = 7_200;
  private static final Pattern ORDER = Pattern.compile("\"order\":\"([^\"]+)\"");
  private static final Set<String> CLEAN = Set.of("STORE_UNAVAILABLE", "IDEMPOTENCY_OUTCOME_UNKNOWN");

  final MockUpstream up = MockUpstream.start();
  private GatewayHarness a;
  private GatewayHarness b;

  /** Returns the {@code redis} block of instance {@code instance}, as a YAML flow mapping. */
  abstract String redis(int instance);

  /** Returns a client name whose records live on the primary {@link #killPrimary()} kills. */
  abstract String client();

  /** Kills the primary that holds the client's records and the budget ledger. */
  abstract void killPrimary();

  /** Waits until a replica has taken the killed primary's place. */
  abstract void awaitPromoted();

  /** Returns the raw reply of {@code GET key}. */
  abstract String get(String key);

  /** Stops the Redis processes, after the gateways stopped. */
  abstract void closeRedis();

  @AfterEach
  void stopAll() {
    for (GatewayHarness gateway : new GatewayHarness[] {a, b}) {
      if (gateway != null) {
        gateway.close();
      }
    }
    up.close();
    closeRedis();
  }

  private GatewayHarness start(int instance) {
    String yaml = """
        server: {drain_timeout_ms: 0}
        redis: %s
        clients:
          - {name: %s, key_env: CLIENT_KEY, budget: {daily_usd: %s}}
        targets:
          api:
            base_url: "%4$s"
            %5$s
            circuit: {enabled: false}
          openai:
            base_url: "%4$s/v1"
            %5$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 10}
        """.formatted(redis(instance), client(), AFFORDABLE_CALLS * CALL_NANO_USD / 1e9, up.baseUrl(),
            TestYaml.NO_RETRIES);
    return GatewayHarness.yaml(yaml).env("CLIENT_KEY", "client-secret").start();
  }

  private CompletableFuture<List<Answer>> keyedStep(AtomicInteger orders) {
    String order = "o-" + orders.incrementAndGet();
    long sent = System.nanoTime();
    String body = "{\"order\":\"" + order + "\"}";
    var first = a.http.postAsync("/t/api/pay", body, "Idempotency-Key", order, "X-API-Key", "client-secret");
    var second = b.http.postAsync("/t/api/pay", body, "Idempotency-Key", order, "X-API-Key", "client-secret");
    return first.thenCombine(second, (x, y) ->
        List.of(Answer.of("keyed", order, sent, x), Answer.of("keyed", order, sent, y)));
  }

  private CompletableFuture<List<Answer>> llmStep(AtomicInteger calls) {
    GatewayHarness gateway = calls.incrementAndGet() % 2 == 0 ? a : b;
    long sent = System.nanoTime();
    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    return gateway.http.postAsync("/proxy/llm", ask, "X-API-Key", "client-secret")
        .thenApply(res -> List.of(Answer.of("llm", "", sent, res)));
  }

  @Test
  void killingThePrimaryUnderLoadExecutesNoKeyTwiceAnswersCleanlyAndServesAgainWithinSeconds() {
    AtomicInteger executions = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.delayed(20, call -> call.request().response().setStatusCode(201)
        .putHeader("Content-Type", "application/json")
        .end(call.recorded().bodyText().replace("}", ",\"call\":" + executions.incrementAndGet() + "}"))));
    up.otherwise("POST /v1/chat/completions",
        Behavior.delayed(20, LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 10)));
    a = start(0);
    b = start(1);
    AtomicInteger orders = new AtomicInteger();
    AtomicInteger llmCalls = new AtomicInteger();
    FailoverLoad load = new FailoverLoad().run(3, () -> keyedStep(orders)).run(2, () -> llmStep(llmCalls));
    await().atMost(Duration.ofSeconds(20)).until(() -> load.answersSoFar().stream()
        .filter(r -> r.status() == 201).count() >= 20);

    long killedAt = System.nanoTime();
    killPrimary();
    awaitPromoted();
    long promotedAt = System.nanoTime();
    // Load goes on until the budget is spent and forty keys after the promotion were answered.
    await().atMost(Duration.ofSeconds(40)).until(() -> {
      List<Answer> now = load.answersSoFar();
      return now.stream().anyMatch(r -> "BUDGET_EXHAUSTED".equals(r.code()))
          && now.stream().filter(r -> r.sentAtNanos() > promotedAt && r.status() == 201).count() >= 80;
    });
    List<Answer> answers = load.stop();

    Map<String, Long> executed = up.requests().stream().filter(r -> r.path().equals("/pay"))
        .map(r -> order(r.bodyText())).collect(Collectors.groupingBy(o -> o, Collectors.counting()));
    assertThat(executed).as("upstream executions per key").allSatisfy((order, count) -> assertThat(count).isOne());
    for (Answer answer : answers) {
      if (answer.kind().equals("keyed") && answer.status() == 201) {
        assertThat(executed).as("a key answered 201 was executed").containsKey(answer.order());
        assertThat(order(answer.body())).isEqualTo(answer.order());
      } else if (answer.kind().equals("llm") && answer.status() != 200) {
        assertThat(answer.code()).isIn("BUDGET_EXHAUSTED", "STORE_UNAVAILABLE");
      } else if (answer.status() != 200) {
        assertThat(answer.code()).as(answer.toString()).isIn(CLEAN);
      }
    }
    assertThat(answers.stream().filter(r -> r.kind().equals("keyed") && r.status() == 201)
        .collect(Collectors.groupingBy(Answer::order, Collectors.mapping(Answer::body, Collectors.toSet()))))
        .as("one answer per key").allSatisfy((order, bodies) -> assertThat(bodies).hasSize(1));

    long lastError = answers.stream().filter(r -> CLEAN.contains(r.code())).mapToLong(Answer::sentAtNanos)
        .max().orElse(killedAt);
    double errorsForS = (lastError - killedAt) / 1e9;
    int paid = up.count("/v1/chat/completions");
    System.out.printf("failover: promoted after %.1f s; errors until %.1f s after the kill; %d answers, %s; "
            + "%d paid LLM calls of %d affordable%n", (promotedAt - killedAt) / 1e9, errorsForS, answers.size(),
        answers.stream().collect(Collectors.groupingBy(r -> r.status() + r.code(), Collectors.counting())), paid,
        AFFORDABLE_CALLS);
    assertThat(errorsForS).as("seconds from the kill to the last clean error").isLessThan(10);
    assertThat(paid).as("LLM calls the provider was paid for").isBetween(1, AFFORDABLE_CALLS);
    String spent = get(Keys.budget("client:" + client() + ":d:" + today()));
    assertThat(Long.parseLong(spent.substring(spent.indexOf('\n') + 1))).isBetween(paid * CALL_NANO_USD,
        AFFORDABLE_CALLS * CALL_NANO_USD);
  }

  private static String order(String body) {
    Matcher m = ORDER.matcher(body);
    return m.find() ? m.group(1) : "";
  }

  private static String today() {
    return java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
  }
}
