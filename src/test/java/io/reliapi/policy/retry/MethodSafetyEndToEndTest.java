package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which requests may be sent twice: SPEC §3.1 method safety, against the real gateway. */
class MethodSafetyEndToEndTest {
  private static final ManualClock CLOCK = new ManualClock();
  private static final String FAST = "{\"429\": {attempts: 3, backoff: constant, base_s: 0.01}, "
      + "\"5xx\": {attempts: 3, backoff: constant, base_s: 0.01}, net: {attempts: 3, backoff: constant, base_s: 0.01}, "
      + "timeout: {attempts: 3, backoff: constant, base_s: 0.01}}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(upstream -> GatewayHarness.yaml("""
      targets:
        api:
          base_url: "%1$s"
          timeout_ms: 5000
          circuit: {enabled: false}
          retry_matrix: %3$s
        quick:
          base_url: "%1$s"
          timeout_ms: 200
          circuit: {enabled: false}
          retry_matrix: %3$s
        down:
          base_url: "http://127.0.0.1:%2$d"
          circuit: {enabled: false}
          retry_matrix: %3$s
        chat:
          base_url: "%1$s"
          circuit: {enabled: false}
          retry_matrix: %3$s
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(upstream.baseUrl(), FreePort.refused(), FAST)).clock(CLOCK, ManualScheduler.auto(CLOCK)));

  @Test
  void neverRetriesAnUnkeyedPostOrPatchAfterA5xx() {
    e2e.up().otherwise("* /pay-5xx", Behavior.status(503));
    assertThat(e2e.gw().http.post("/t/api/pay-5xx", "{}").status()).isEqualTo(503);
    assertThat(e2e.gw().http.method("PATCH", "/t/api/pay-5xx", "{}").status()).isEqualTo(503);
    assertThat(e2e.up().count("/pay-5xx")).isEqualTo(2);
  }

  @Test
  void neverRetriesAnUnkeyedPostAfterATimeoutOrAReset() {
    e2e.up().otherwise("* /pay-slow", Behavior.silence());
    var slow = e2e.gw().http.post("/t/quick/pay-slow", "{}");
    assertThat(slow.status()).isEqualTo(504);
    assertThat(e2e.up().count("/pay-slow")).isEqualTo(1);

    e2e.up().otherwise("* /pay-reset", Behavior.reset());
    var reset = e2e.gw().http.post("/t/api/pay-reset", "{}");
    assertThat(reset.status()).isEqualTo(502);
    assertThat(e2e.up().count("/pay-reset")).isEqualTo(1);
    assertThat(reset.header("X-Retries")).isEqualTo("0");
  }

  @Test
  void retriesAnUnkeyedPostOnA429() {
    e2e.up().script("* /pay-429", Behavior.status(429), Behavior.status(201));
    var r = e2e.gw().http.post("/t/api/pay-429", "{\"amount\":1}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(e2e.up().count("/pay-429")).isEqualTo(2);
    assertThat(e2e.up().requests().stream().filter(q -> q.path().equals("/pay-429")).map(q -> q.bodyText()))
        .containsExactly("{\"amount\":1}", "{\"amount\":1}");
  }

  @Test
  void retriesAnUnkeyedPostWhenTheConnectionIsRefused() {
    var r = e2e.gw().http.post("/t/down/pay", "{}");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(r.header("X-Retries")).isEqualTo("2");
  }

  @Test
  void retriesAPostThatCarriesAnIdempotencyKey() {
    e2e.up().script("* /pay-keyed", Behavior.status(503), Behavior.status(201));
    var r = e2e.gw().http.post("/t/api/pay-keyed", "{}", "Idempotency-Key", "order-17");
    assertThat(r.status()).isEqualTo(201);
    assertThat(e2e.up().count("/pay-keyed")).isEqualTo(2);
    var envelope = e2e.gw().http.post("/proxy/http",
        "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay-keyed-envelope\",\"body\":{},\"idempotency_key\":\"k-1\"}");
    assertThat(envelope.status()).isEqualTo(200);
    e2e.up().script("* /pay-keyed-envelope-2", Behavior.reset(), Behavior.status(200));
    var afterReset = e2e.gw().http.post("/proxy/http",
        "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay-keyed-envelope-2\",\"body\":{},\"idempotency_key\":\"k-2\"}");
    assertThat(afterReset.json().get("meta").get("retries").asInt()).isEqualTo(1);
    assertThat(e2e.up().count("/pay-keyed-envelope-2")).isEqualTo(2);
  }

  @Test
  void retriesAPostToAnLlmTarget() {
    e2e.up().script("* /chat/completions", Behavior.status(529), LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    var r = e2e.gw().http.post("/t/chat/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().count("/chat/completions")).isEqualTo(2);
  }

  @Test
  void retriesIdempotentMethods() {
    for (String method : new String[] {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
      String path = "/idem-" + method.toLowerCase();
      e2e.up().script("* " + path, Behavior.status(502), Behavior.status(200));
      assertThat(e2e.gw().http.method(method, "/t/api" + path, method.equals("PUT") ? "{}" : null).status())
          .as(method).isEqualTo(200);
      assertThat(e2e.up().count(path)).as(method).isEqualTo(2);
    }
  }

  @Test
  void neverResendsALargeStreamedBodyOnceItWasSent() {
    String large = "x".repeat(1_500_000);
    e2e.up().otherwise("* /upload", Behavior.status(503));
    var r = e2e.gw().http.send(e2e.gw().http.builder("/t/api/upload")
        .PUT(HttpRequest.BodyPublishers.ofString(large)).build());
    assertThat(r.status()).isEqualTo(503);
    assertThat(e2e.up().count("/upload")).isEqualTo(1);
    assertThat(e2e.up().last().body().length()).isEqualTo(large.length());

    e2e.up().script("* /upload-small", Behavior.status(503), Behavior.status(200));
    var small = e2e.gw().http.method("PUT", "/t/api/upload-small", "{}");
    assertThat(small.status()).isEqualTo(200);
    assertThat(e2e.up().count("/upload-small")).isEqualTo(2);
  }

  @Test
  void retriesAnUnkeyedPostOnceTheRefusingUpstreamComesUp() throws Exception {
    int port = FreePort.find();
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    try (GatewayHarness gw = GatewayHarness.yaml("""
        targets:
          later:
            base_url: "http://127.0.0.1:%d"
            circuit: {enabled: false}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 1}}
        """.formatted(port)).clock(clock, scheduler).start()) {
      var pending = gw.http.postAsync("/t/later/orders", "{\"n\":1}");
      await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1);
      try (MockUpstream late = MockUpstream.start(port)) {
        scheduler.advance(Duration.ofSeconds(1));
        var r = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(late.count("/orders")).isEqualTo(1);
        assertThat(late.last().bodyText()).isEqualTo("{\"n\":1}");
        assertThat(r.header("X-Retries")).isEqualTo("1");
      }
    }
  }
}
