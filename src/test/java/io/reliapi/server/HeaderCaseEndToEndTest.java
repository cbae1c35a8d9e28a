package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.RawHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Header names match whatever their capitalisation (RFC 9110 §5.1): every rule that reads, keeps or drops
 * a header applies alike to {@code Retry-After}, {@code retry-after} and {@code RETRY-AFTER}.
 */
class HeaderCaseEndToEndTest {
  static final ManualClock CLOCK = new ManualClock();
  static final ManualScheduler SCHEDULER = ManualScheduler.auto(CLOCK);
  static final String ASK = "{\"target\": \"llm\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        llm:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
          circuit: {enabled: false}
          retry_matrix: {"429": {attempts: 2, backoff: constant, base_s: 0.05, max_s: 10}}
        api:
          base_url: "%1$s"
          cache: {ttl_s: 60}
      """.formatted(up.baseUrl())).clock(CLOCK, SCHEDULER));

  private static List<Long> delaysSince(int before) {
    List<Long> all = SCHEDULER.requestedDelaysMs();
    return all.subList(before, all.size());
  }

  private static Behavior rateLimited(String retryAfterName, String seconds) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put(retryAfterName, seconds);
    headers.put("x-RateLimit-Remaining-Requests", "0");
    headers.put("X-RATELIMIT-RESET-REQUESTS", "20s");
    headers.put("OpenAI-Organization", "org-secret-team");
    return Behavior.respond(429, headers,
        "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
  }

  @Test
  void waitsTheSecondsOfAProvidersCanonicallyCapitalisedRetryAfter() {
    e2e.up().script("POST /v1/chat/completions", rateLimited("Retry-After", "1"),
        LlmBehaviors.openAi("gpt-4o-mini", "Hello", 9, 1));
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.post("/proxy/llm", ASK);
    assertThat(r.status()).isEqualTo(200);
    assertThat(delaysSince(before)).as("the provider's 1 s, not the 50 ms backoff").containsExactly(1000L);
    assertThat(e2e.up().total()).isEqualTo(2);
  }

  @Test
  void waitsTheSecondsOfAnUpperCaseRetryAfter() {
    e2e.up().script("POST /v1/chat/completions", rateLimited("RETRY-AFTER", "2"),
        LlmBehaviors.openAi("gpt-4o-mini", "Hello", 9, 1));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}").status())
        .isEqualTo(200);
    assertThat(delaysSince(before)).containsExactly(2000L);
  }

  @Test
  void passesAProvidersRetryAfterAndRateLimitHeadersOnInAnyCapitalisation() {
    e2e.up().script("POST /v1/chat/completions", rateLimited("Retry-After", "60"));
    var r = e2e.gw().http.post("/proxy/llm", ASK);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("60");
    assertThat(r.json().get("error").get("retry_after_s").asLong()).isEqualTo(60);
    assertThat(r.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(r.header("x-ratelimit-reset-requests")).isEqualTo("20s");
    assertThat(r.header("openai-organization")).as("other provider headers stay behind").isNull();
    assertThat(e2e.up().total()).as("60 s is over max_s: answered at once").isEqualTo(1);

    e2e.up().script("POST /v1/chat/completions", rateLimited("RETRY-AFTER", "60"));
    var openAi = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(openAi.status()).isEqualTo(429);
    assertThat(openAi.header("Retry-After")).isEqualTo("60");
    assertThat(openAi.header("x-ratelimit-remaining-requests")).isEqualTo("0");
  }

  @Test
  void dropsHopByHopAndGatewayHeadersWhateverTheirCapitalisation() {
    String raw = RawHttp.exchange(e2e.gw().port(), "GET /t/api/hops HTTP/1.1\r\nHost: x\r\n"
        + "CONNECTION: keep-alive, X-HOP-ONLY\r\nx-hop-only: 1\r\nKEEP-ALIVE: timeout=5\r\n"
        + "X-API-KEY: client-secret\r\nX-Reliapi-Target: api\r\nX-Kept: yes\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(raw)).isEqualTo(200);
    var seen = e2e.up().last();
    assertThat(seen.header("x-kept")).isEqualTo("yes");
    assertThat(seen.header("x-hop-only")).isNull();
    assertThat(seen.header("keep-alive")).isNull();
    assertThat(seen.header("x-api-key")).isNull();
    assertThat(seen.header("x-reliapi-target")).isNull();
  }

  @Test
  void neverCachesAnAnswerWhoseCacheControlOrSetCookieIsOddlyCapitalised() {
    e2e.up().otherwise("GET /no-store", Behavior.respond(200, Map.of("CACHE-CONTROL", "No-Store"), "fresh"));
    e2e.up().otherwise("GET /cookie", Behavior.respond(200, Map.of("SET-COOKIE", "a=b"), "fresh"));
    for (int i = 0; i < 2; i++) {
      assertThat(e2e.gw().http.get("/t/api/no-store").header("X-Cache-Hit")).isEqualTo("false");
      assertThat(e2e.gw().http.get("/t/api/cookie").header("X-Cache-Hit")).isEqualTo("false");
    }
    assertThat(e2e.up().count("/no-store")).isEqualTo(2);
    assertThat(e2e.up().count("/cookie")).isEqualTo(2);
  }

  @Test
  void keysCachedVariantsOnAnOddlyCapitalisedVary() {
    e2e.up().otherwise("GET /varied", call -> call.request().response().putHeader("VARY", "x-VARIANT")
        .end("for " + call.request().getHeader("X-Variant")));
    assertThat(e2e.gw().http.get("/t/api/varied", "X-Variant", "a").body()).isEqualTo("for a");
    assertThat(e2e.gw().http.get("/t/api/varied", "x-variant", "b").body()).isEqualTo("for b");
    var hit = e2e.gw().http.get("/t/api/varied", "X-VARIANT", "a");
    assertThat(hit.body()).isEqualTo("for a");
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(e2e.up().count("/varied")).isEqualTo(2);
  }
}
