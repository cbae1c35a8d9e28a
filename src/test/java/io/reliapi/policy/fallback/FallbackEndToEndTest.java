package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fallback chains (SPEC §3.7) against the real gateway, with a primary and a backup upstream. */
class FallbackEndToEndTest {
  private static final String RETRIES = "{\"429\": {attempts: 2, backoff: constant, base_s: 0.01}, "
      + "\"5xx\": {attempts: 2, backoff: constant, base_s: 0.01}, net: {attempts: 2, backoff: constant, base_s: 0.01}, "
      + "timeout: {attempts: 1}}";
  private final ManualClock clock = new ManualClock();
  private MockUpstream primary;
  private MockUpstream backup;
  private GatewayHarness gateway;

  @BeforeEach
  void start() {
    primary = MockUpstream.start();
    backup = MockUpstream.start();
    gateway = GatewayHarness.yaml("""
        targets:
          primary:
            base_url: "%1$s"
            timeout_ms: 800
            retry_matrix: %4$s
            fallback_targets: [backup]
          backup:
            base_url: "%2$s"
            circuit: {error_threshold: 50}
            retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0.01}}
          fragile:
            base_url: "%1$s"
            circuit: {error_threshold: 2, cooldown_s: 60}
            retry_matrix: {"5xx": {attempts: 1}}
            fallback_targets: [backup]
          refusing:
            base_url: "http://127.0.0.1:%3$d"
            retry_matrix: %4$s
            fallback_targets: [backup]
          chat:
            base_url: "%1$s"
            retry_matrix: %4$s
            llm: {provider: openai, default_model: gpt-4o-mini}
            fallback_targets: [chat_backup]
          chat_backup:
            base_url: "%2$s"
            llm: {provider: openai, default_model: gpt-4o-mini}
          a: {base_url: "%1$s/a", retry_matrix: {"5xx": {attempts: 1}}, fallback_targets: [b, c]}
          b: {base_url: "%1$s/b", retry_matrix: {"5xx": {attempts: 1}}, fallback_targets: [c]}
          c: {base_url: "%1$s/c", retry_matrix: {"5xx": {attempts: 1}}}
        """.formatted(primary.baseUrl(), backup.baseUrl(), FreePort.refused(), RETRIES))
        .clock(clock, ManualScheduler.auto(clock)).start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    primary.close();
    backup.close();
  }

  private static String envelope(String target, String method, String path, String extra) {
    return "{\"target\":\"" + target + "\",\"method\":\"" + method + "\",\"path\":\"" + path + "\"" + extra + "}";
  }

  @Test
  void fallsBackOnceThePrimaryHasUsedUpItsRetriesAndShowsWhoAnswered() {
    primary.otherwise("* /item", Behavior.status(503));
    backup.otherwise("* /item", Behavior.json(200, "{\"from\":\"backup\"}"));
    var r = gateway.http.post("/proxy/http", envelope("primary", "GET", "/item", ""));
    assertThat(r.status()).isEqualTo(200);
    var meta = r.json().get("meta");
    assertThat(meta.get("fallback_used").asBoolean()).isTrue();
    assertThat(meta.get("fallback_target").asText()).isEqualTo("backup");
    assertThat(meta.get("target").asText()).isEqualTo("backup");
    assertThat(meta.get("retries").asInt()).isEqualTo(1);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("backup");
    assertThat(r.json().get("data").get("body").get("from").asText()).isEqualTo("backup");
    assertThat(primary.count("/item")).isEqualTo(2);
    assertThat(backup.count("/item")).isEqualTo(1);
    assertThat(MetricSamples.scrape(gateway).value("reliapi_fallbacks_total", "from", "primary", "to", "backup"))
        .isEqualTo(1.0);
  }

  @Test
  void runsEachTargetsOwnRetries() {
    primary.otherwise("* /item", Behavior.status(502));
    backup.script("* /item", Behavior.status(503), Behavior.status(503), Behavior.status(200));
    var r = gateway.http.get("/t/primary/item");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-Retries")).isEqualTo("3");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("backup");
    assertThat(primary.count("/item")).isEqualTo(2);
    assertThat(backup.count("/item")).isEqualTo(3);
  }

  @Test
  void neverFallsBackOnAPlainClientError() {
    primary.otherwise("* /missing", Behavior.respond(404, Map.of(), "not here"));
    var r = gateway.http.post("/proxy/http", envelope("primary", "GET", "/missing", ""));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("meta").get("fallback_used").asBoolean()).isFalse();
    assertThat(r.json().get("meta").get("fallback_target").isNull()).isTrue();
    assertThat(r.json().get("meta").get("target").asText()).isEqualTo("primary");
    assertThat(backup.total()).isZero();
  }

  @Test
  void fallsBackOnTimeoutsNetworkErrorsAnd429() {
    primary.otherwise("* /slow", Behavior.silence());
    primary.otherwise("* /reset", Behavior.reset());
    primary.otherwise("* /limited", Behavior.status(429));
    for (String path : new String[] {"/slow", "/reset", "/limited"}) {
      var r = gateway.http.get("/t/primary" + path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.header("X-ReliAPI-Target")).as(path).isEqualTo("backup");
    }
    assertThat(backup.total()).isEqualTo(3);
  }

  @Test
  void goesStraightToTheNextTargetWhileTheCircuitIsOpen() {
    primary.otherwise("* /item", Behavior.status(503));
    for (int i = 0; i < 2; i++) {
      assertThat(gateway.http.get("/t/fragile/item").status()).isEqualTo(200);
    }
    assertThat(primary.count("/item")).isEqualTo(2);
    var r = gateway.http.get("/t/fragile/item");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("backup");
    assertThat(primary.count("/item")).as("no call to the open target").isEqualTo(2);
    assertThat(backup.count("/item")).isEqualTo(3);
  }

  @Test
  void fallsBackWithAnUnkeyedPostOnlyWhenThePrimaryProvablyDidNotProcessIt() {
    primary.otherwise("* /pay", Behavior.status(503));
    var processed = gateway.http.post("/t/primary/pay", "{}");
    assertThat(processed.status()).isEqualTo(503);
    assertThat(processed.header("X-ReliAPI-Target")).isEqualTo("primary");
    assertThat(primary.count("/pay")).isEqualTo(1);
    assertThat(backup.total()).isZero();

    var refused = gateway.http.post("/t/refusing/pay", "{\"n\":1}");
    assertThat(refused.status()).isEqualTo(200);
    assertThat(backup.count("/pay")).isEqualTo(1);
    assertThat(backup.last().bodyText()).isEqualTo("{\"n\":1}");

    primary.otherwise("* /pay-limited", Behavior.status(429));
    assertThat(gateway.http.post("/t/primary/pay-limited", "{}").status()).isEqualTo(200);
    assertThat(backup.count("/pay-limited")).isEqualTo(1);
  }

  @Test
  void fallsBackWithAKeyedPostAndOnAnLlmTarget() {
    primary.otherwise("* /pay", Behavior.status(503));
    assertThat(gateway.http.post("/t/primary/pay", "{}", "Idempotency-Key", "k-9").status()).isEqualTo(200);
    assertThat(backup.count("/pay")).isEqualTo(1);
    primary.otherwise("* /chat/completions", Behavior.status(529));
    backup.script("POST /chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    assertThat(gateway.http.post("/t/chat/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
        .header("X-ReliAPI-Target")).isEqualTo("chat_backup");
    assertThat(backup.count("/chat/completions")).isEqualTo(1);
  }

  @Test
  void returnsTheLastOutcomeWhenTheWholeChainFails() {
    primary.otherwise("* /down", Behavior.status(503));
    backup.otherwise("* /down", Behavior.respond(502, Map.of(), "backup down"));
    var r = gateway.http.get("/t/primary/down");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.body()).isEqualTo("backup down");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("backup");
    var e = gateway.http.post("/proxy/http", envelope("primary", "GET", "/down", ""));
    assertThat(e.json().get("error").get("upstream_status").asInt()).isEqualTo(502);
    assertThat(e.json().get("meta").get("fallback_target").asText()).isEqualTo("backup");
  }

  @Test
  void followsAFallbacksOwnFallbacksAndTriesEachTargetOnce() {
    primary.otherwise("* *", Behavior.status(500));
    var r = gateway.http.get("/t/a/x");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("c");
    assertThat(primary.requests().stream().map(MockUpstream.Recorded::path)).containsExactly("/a/x", "/b/x", "/c/x");
    var metrics = MetricSamples.scrape(gateway);
    assertThat(metrics.value("reliapi_fallbacks_total", "from", "a", "to", "b")).isEqualTo(1.0);
    assertThat(metrics.value("reliapi_fallbacks_total", "from", "b", "to", "c")).isEqualTo(1.0);
  }
}
