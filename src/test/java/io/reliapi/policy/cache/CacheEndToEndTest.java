package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The response cache against the real gateway over real sockets (SPEC §3.3, issue 4). The upstream
 * numbers its answers, so a body shows which upstream call it came from.
 */
class CacheEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final AtomicInteger calls = new AtomicInteger();
  private final ManualClock clock = new ManualClock();

  private void start(String targetExtras) {
    e2e.start(harness("", targetExtras));
  }

  private GatewayHarness.Builder harness(String topLevel, String targetExtras) {
    return GatewayHarness.yaml(topLevel + """
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + targetExtras).indent(4))
        .clock(clock, ManualScheduler.manual(clock));
  }

  /** Answers {@code status} and {@code headers} with a body naming the call: "call-1", "call-2"... */
  private Behavior numbered(int status, Map<String, String> headers) {
    return call -> {
      var response = call.request().response().setStatusCode(status).putHeader("Content-Type", "text/plain");
      headers.forEach(response::putHeader);
      response.end("call-" + calls.incrementAndGet());
    };
  }

  private Behavior numbered() {
    return numbered(200, Map.of());
  }

  private Res get(String path, String... headers) {
    return e2e.gw().http.get(path, headers);
  }

  private Res envelope(String json) {
    return e2e.gw().http.post("/proxy/http", json, "Content-Type", "application/json");
  }

  @Test
  void twoHundredConcurrentIdenticalMissesMakeOneUpstreamCall() {
    e2e.up().otherwise("GET /users", Behavior.delayed(400, numbered()));
    start("cache: {ttl_s: 60}\n");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(e2e.gw().http.getAsync("/t/api/users?page=1"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(e2e.up().count("/users")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("call-1");
    });
    assertThat(answers.stream().filter(r -> "true".equals(r.header("X-Cache-Hit"))).count()).isEqualTo(199);
    String metrics = e2e.gw().http.get("/metrics").body();
    assertThat(metrics).contains("reliapi_cache_hits_total{target=\"api\"} 199.0");
    assertThat(metrics).contains("reliapi_cache_misses_total{target=\"api\"} 1.0");
    assertThat(metrics).containsPattern("reliapi_coalesced_requests_total\\{target=\"api\"} [1-9][0-9]*\\.0");
  }

  @Test
  void hitsCarryXCacheHitAgeAndMetaCacheHit() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    String request = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\"}";
    Res miss = envelope(request);
    assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(miss.header("Age")).isNull();
    assertThat(miss.json().get("meta").get("cache_hit").asBoolean()).isFalse();
    clock.advance(Duration.ofSeconds(7));

    Res hit = envelope(request);
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isEqualTo("7");
    assertThat(hit.json().get("meta").get("cache_hit").asBoolean()).isTrue();
    assertThat(hit.json().get("data")).isEqualTo(miss.json().get("data"));

    Res passThrough = get("/t/api/item");
    assertThat(passThrough.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(passThrough.header("Age")).isEqualTo("7");
    assertThat(passThrough.body()).isEqualTo("call-1");
    assertThat(e2e.up().count("/item")).isEqualTo(1);
  }

  @Test
  void entriesExpireAfterTtlSecondsOnTheInjectedClock() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    // The envelope route reads the whole answer before it replies, so the entry is stored by then.
    String request = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\"}";
    assertThat(envelope(request).json().get("data").get("body").asText()).isEqualTo("call-1");
    clock.advance(Duration.ofSeconds(59));
    assertThat(envelope(request).json().get("data").get("body").asText()).isEqualTo("call-1");
    clock.advance(Duration.ofSeconds(2));
    Res fresh = envelope(request);
    assertThat(fresh.json().get("data").get("body").asText()).isEqualTo("call-2");
    assertThat(fresh.header("X-Cache-Hit")).isEqualTo("false");
  }

  @Test
  void theRequestsCacheFieldSetsTheTtlOfWhatItStores() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 600}\n");
    String request = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":5}";
    envelope(request);
    clock.advance(Duration.ofSeconds(4));
    assertThat(envelope(request).json().get("meta").get("cache_hit").asBoolean()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(envelope(request).json().get("data").get("body").asText()).isEqualTo("call-2");
  }

  /** A client may shorten what it caches, never lengthen it (issue 11): the field is capped by ttl_s. */
  @Test
  void aCacheFieldAboveTheTargetsTtlIsCappedByIt() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    String request = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":31536000}";
    envelope(request);
    clock.advance(Duration.ofSeconds(59));
    assertThat(envelope(request).json().get("meta").get("cache_hit").asBoolean()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(envelope(request).json().get("data").get("body").asText()).isEqualTo("call-2");
  }

  @Test
  void cacheZeroSkipsBothTheReadAndTheWrite() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    envelope("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\"}");
    Res bypass = envelope("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":0}");
    assertThat(bypass.json().get("data").get("body").asText()).isEqualTo("call-2");
    assertThat(bypass.json().get("meta").get("cache_hit").asBoolean()).isFalse();
    assertThat(get("/t/api/item").body()).isEqualTo("call-1");
  }

  @Test
  void requestNoCacheSkipsTheReadAndStoresTheFreshAnswer() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    get("/t/api/item");
    Res fresh = get("/t/api/item", "Cache-Control", "no-cache");
    assertThat(fresh.body()).isEqualTo("call-2");
    assertThat(fresh.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(get("/t/api/item").body()).isEqualTo("call-2");
    Res viaEnvelopeHeaders = envelope(
        "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\",\"headers\":{\"Cache-Control\":\"no-cache\"}}");
    assertThat(viaEnvelopeHeaders.json().get("data").get("body").asText()).isEqualTo("call-3");
  }

  @Test
  void requestNoStoreSkipsTheReadAndTheWrite() {
    e2e.up().otherwise("GET /item", numbered());
    start("cache: {ttl_s: 60}\n");
    get("/t/api/item");
    assertThat(get("/t/api/item", "Cache-Control", "no-store").body()).isEqualTo("call-2");
    assertThat(get("/t/api/item").body()).isEqualTo("call-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"404", "500", "503", "429", "201", "206", "no-store", "private", "no-cache", "set-cookie",
      "vary-star"})
  void answersThatMayNotBeKeptAreNeverServedFromTheCache(String kind) {
    Behavior answer = switch (kind) {
      case "no-store" -> numbered(200, Map.of("Cache-Control", "no-store"));
      case "private" -> numbered(200, Map.of("Cache-Control", "max-age=60, private"));
      case "no-cache" -> numbered(200, Map.of("Cache-Control", "no-cache"));
      case "set-cookie" -> numbered(200, Map.of("Set-Cookie", "session=abc"));
      case "vary-star" -> numbered(200, Map.of("Vary", "*"));
      default -> numbered(Integer.parseInt(kind), Map.of("Cache-Control", "max-age=60"));
    };
    e2e.up().otherwise("GET /item", answer);
    start("cache: {ttl_s: 60}\n");
    Res first = get("/t/api/item");
    Res second = get("/t/api/item");
    assertThat(second.body()).isEqualTo("call-2");
    assertThat(second.status()).isEqualTo(first.status());
    assertThat(second.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count("/item")).isEqualTo(2);
  }

  @Test
  void gatewayErrorsAreNeverCached() {
    e2e.up().script("GET /slow", Behavior.silence());
    e2e.up().otherwise("GET /slow", numbered());
    start("timeout_ms: 300\ncache: {ttl_s: 60}\n");
    Res timedOut = get("/t/api/slow");
    assertThat(timedOut.status()).isEqualTo(504);
    Res next = get("/t/api/slow");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("call-1");
    assertThat(e2e.up().count("/slow")).isEqualTo(2);
  }

  @Test
  void otherMethodsAndTargetsWithoutACacheBlockAreNeverCached() {
    e2e.up().otherwise("* /item", numbered());
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
            cache: {ttl_s: 60}
          plain:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl(), e2e.up().baseUrl())).clock(clock, ManualScheduler.manual(clock)));
    e2e.gw().http.post("/t/api/item", "{}");
    assertThat(e2e.gw().http.post("/t/api/item", "{}").body()).isEqualTo("call-2");
    envelope("{\"target\":\"plain\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":60}");
    assertThat(envelope("{\"target\":\"plain\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":60}")
        .json().get("data").get("body").asText()).isEqualTo("call-4");
  }

  @Test
  void theKeyHoldsMethodPathAndTheQueryInCanonicalOrder() {
    e2e.up().otherwise("* /item", numbered());
    e2e.up().otherwise("* /other", numbered());
    start("cache: {ttl_s: 60}\n");
    assertThat(get("/t/api/item?a=1&b=2").body()).isEqualTo("call-1");
    assertThat(get("/t/api/item?b=2&a=1").body()).isEqualTo("call-1");
    assertThat(get("/t/api/item?a=1&b=3").body()).isEqualTo("call-2");
    assertThat(get("/t/api/other?a=1&b=2").body()).isEqualTo("call-3");
    Res head = e2e.gw().http.send(e2e.gw().http.builder("/t/api/item?a=1&b=2").method("HEAD",
        java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("X-Cache-Hit")).isEqualTo("false");
    Res headAgain = e2e.gw().http.send(e2e.gw().http.builder("/t/api/item?a=1&b=2").method("HEAD",
        java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(headAgain.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(e2e.up().count("/item")).isEqualTo(3);
  }

  @Test
  void representationHeadersAndTheResponsesVaryHeadersSplitTheKey() {
    e2e.up().otherwise("GET /lang", numbered());
    e2e.up().otherwise("GET /tenant", numbered(200, Map.of("Vary", "X-Tenant, Accept-Language")));
    start("cache: {ttl_s: 60}\n");
    assertThat(get("/t/api/lang", "Accept-Language", "en").body()).isEqualTo("call-1");
    assertThat(get("/t/api/lang", "Accept-Language", "fr").body()).isEqualTo("call-2");
    assertThat(get("/t/api/lang", "Accept-Language", "en").body()).isEqualTo("call-1");
    assertThat(get("/t/api/lang", "Accept", "text/html").body()).isEqualTo("call-3");

    assertThat(get("/t/api/tenant", "X-Tenant", "a").body()).isEqualTo("call-4");
    assertThat(get("/t/api/tenant", "X-Tenant", "b").body()).isEqualTo("call-5");
    assertThat(get("/t/api/tenant", "X-Tenant", "a").body()).isEqualTo("call-4");
    assertThat(get("/t/api/tenant", "X-Tenant", "b").body()).isEqualTo("call-5");
    assertThat(get("/t/api/tenant").body()).isEqualTo("call-6");
    assertThat(e2e.up().count("/tenant")).isEqualTo(3);
  }

  @Test
  void waitersOfAnotherVariantFetchTheirOwn() {
    e2e.up().otherwise("GET /tenant", Behavior.delayed(300, numbered(200, Map.of("Vary", "X-Tenant"))));
    start("cache: {ttl_s: 60}\n");
    var a = e2e.gw().http.getAsync("/t/api/tenant", "X-Tenant", "a");
    var b = e2e.gw().http.getAsync("/t/api/tenant", "X-Tenant", "b");
    assertThat(a.join().body()).isNotEqualTo(b.join().body());
    assertThat(e2e.up().count("/tenant")).isEqualTo(2);
  }

  @Test
  void clientsHaveTheirOwnEntriesUnlessTheCacheIsShared() {
    e2e.up().otherwise("GET /item", numbered());
    e2e.start(GatewayHarness.yaml("""
        clients:
          - {name: alice, key_env: ALICE_KEY}
          - {name: bob, key_env: BOB_KEY}
        targets:
          own:
            base_url: "%s"
            cache: {ttl_s: 60}
          shared:
            base_url: "%s"
            cache: {ttl_s: 60, shared: true}
        """.formatted(e2e.up().baseUrl(), e2e.up().baseUrl())).env("ALICE_KEY", "key-a").env("BOB_KEY", "key-b")
        .clock(clock, ManualScheduler.manual(clock)));
    assertThat(get("/t/own/item", "X-API-Key", "key-a").body()).isEqualTo("call-1");
    assertThat(get("/t/own/item", "X-API-Key", "key-b").body()).isEqualTo("call-2");
    assertThat(get("/t/own/item", "X-API-Key", "key-a").body()).isEqualTo("call-1");
    assertThat(get("/t/shared/item", "X-API-Key", "key-a").body()).isEqualTo("call-3");
    assertThat(get("/t/shared/item", "X-API-Key", "key-b").body()).isEqualTo("call-3");
  }

  @Test
  void forwardedCredentialsSplitTheKeyEvenWhenShared() {
    e2e.up().otherwise("GET /me", numbered());
    start("cache: {ttl_s: 60, shared: true}\n");
    String asAlice = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/me\",\"headers\":{\"Authorization\":\"Bearer a\"}}";
    String asBob = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/me\",\"headers\":{\"Authorization\":\"Bearer b\"}}";
    assertThat(envelope(asAlice).json().get("data").get("body").asText()).isEqualTo("call-1");
    assertThat(envelope(asBob).json().get("data").get("body").asText()).isEqualTo("call-2");
    assertThat(envelope(asAlice).json().get("data").get("body").asText()).isEqualTo("call-1");
  }

  @Test
  void aForwardedHeaderNamedLikeACredentialSplitsTheKeyEvenWhenShared() {
    e2e.up().otherwise("GET /me", numbered());
    start("cache: {ttl_s: 60, shared: true}\n");
    assertThat(get("/t/api/me", "X-Custom-Token", "alice").body()).isEqualTo("call-1");
    assertThat(get("/t/api/me", "x-custom-token", "bob").body()).isEqualTo("call-2");
    assertThat(get("/t/api/me", "X-Session-Id", "s1", "X-Custom-Token", "alice").body()).isEqualTo("call-3");
    assertThat(get("/t/api/me", "X-Custom-Token", "alice").body()).isEqualTo("call-1");
    // Per-request headers that only look alike do not: an idempotency key names a request, not a caller.
    assertThat(get("/t/api/me", "X-Custom-Token", "alice", "Idempotency-Key", "k-1").body()).isEqualTo("call-1");
    assertThat(get("/t/api/me", "X-Custom-Token", "alice", "X-Idempotency-Key", "k-2").body()).isEqualTo("call-1");
    assertThat(get("/t/api/me", "X-Trace", "t").body()).isEqualTo("call-4");
    assertThat(get("/t/api/me", "X-Trace", "u").body()).isEqualTo("call-4");
  }

  @Test
  void anIdentityHeaderSentOnSplitsTheKeyEvenWhenShared() {
    e2e.up().otherwise("GET /me", numbered());
    start("cache: {ttl_s: 60, shared: true}\n");
    assertThat(get("/t/api/me", "X-User-Id", "7").body()).isEqualTo("call-1");
    assertThat(get("/t/api/me", "X-User-Id", "8").body()).isEqualTo("call-2");
    assertThat(get("/t/api/me", "Remote-User", "alice").body()).isEqualTo("call-3");
    assertThat(get("/t/api/me", "x-user-id", "7").body()).isEqualTo("call-1");
    assertThat(get("/t/api/me").body()).isEqualTo("call-4");
  }

  @Test
  void theAnthropicBetaAndVersionHeadersSentOnSplitTheKeyOfARawAnthropicAnswer() {
    e2e.up().otherwise("POST /v1/messages", call -> call.request().response().setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .end(LlmBehaviors.anthropicMessage("claude-haiku-4-5", "call-" + calls.incrementAndGet(), "end_turn", 9, 2)));
    e2e.up().otherwise("GET /v1/models", numbered());
    e2e.start(GatewayHarness.yaml("""
        targets:
          claude:
            base_url: "%s/v1"
            cache: {ttl_s: 60, shared: true}
            llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 100, raw_paths: [/models]}
        """.formatted(e2e.up().baseUrl())).clock(clock, ManualScheduler.manual(clock)));
    String ask = "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 50, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

    assertThat(rawText(ask, "anthropic-beta", "context-1m-2025-08-07")).isEqualTo("call-1");
    assertThat(rawText(ask, "anthropic-beta", "interleaved-thinking-2025-05-14")).isEqualTo("call-2");
    assertThat(rawText(ask, "Anthropic-Beta", "context-1m-2025-08-07")).as("a hit").isEqualTo("call-1");
    assertThat(rawText(ask)).isEqualTo("call-3");
    // The chat call gets the target's anthropic-version, whatever the client sent: it does not split the key.
    assertThat(rawText(ask, "anthropic-version", "2099-01-01")).isEqualTo("call-3");
    assertThat(e2e.up().count("/v1/messages")).isEqualTo(3);

    // Other raw paths get the client's anthropic-version, which chooses the answer's shape.
    assertThat(get("/t/claude/models", "anthropic-version", "2023-06-01").body()).isEqualTo("call-4");
    assertThat(get("/t/claude/models", "anthropic-version", "2099-01-01").body()).isEqualTo("call-5");
    assertThat(get("/t/claude/models", "anthropic-version", "2023-06-01").body()).isEqualTo("call-4");
  }

  private String rawText(String body, String... headers) {
    Res answer = e2e.gw().http.post("/t/claude/messages", body, headers);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().get("content").get(0).get("text").asText();
  }

  @Test
  void whenTheLeadersAnswerMayNotBeKeptWaitersGoUpstreamThemselves() {
    e2e.up().otherwise("GET /mine", Behavior.delayed(300, numbered(200, Map.of("Cache-Control", "private"))));
    start("cache: {ttl_s: 60}\n");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(e2e.gw().http.getAsync("/t/api/mine"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();
    assertThat(e2e.up().count("/mine")).isEqualTo(20);
    assertThat(answers).allSatisfy(r -> assertThat(r.header("X-Cache-Hit")).isEqualTo("false"));
    assertThat(answers.stream().map(Res::body).distinct().count()).isEqualTo(20);
  }

  @Test
  void aGetWhoseBodyIsStreamedThroughIsNeverCachedSinceItsBodyIsNotInTheKey() {
    start("cache: {enabled: true, ttl_s: 60}");
    e2e.up().otherwise("GET /search", numbered());
    String large = "q".repeat(1_500_000);  // past /t/'s 1 MiB threshold: streamed to the upstream, never hashed
    assertThat(e2e.gw().http.method("GET", "/t/api/search", large).body()).isEqualTo("call-1");
    assertThat(e2e.gw().http.method("GET", "/t/api/search", large.replace('q', 'r')).body()).isEqualTo("call-2");
    Res plain = get("/t/api/search");
    assertThat(plain.body()).as("no stored answer to another body's query").isEqualTo("call-3");
    assertThat(e2e.up().count("/search")).isEqualTo(3);
  }

  @Test
  void streamedAnswersAreKeptWholeAndTooLargeOnesPassThroughUnkept() {
    String big = "0123456789".repeat(1000);
    e2e.up().otherwise("GET /chunks", Behavior.chunks(Map.of("Content-Type", "text/plain"), List.of("ab", "cd"), 10));
    e2e.up().otherwise("GET /big", Behavior.chunks(Map.of("Content-Type", "text/plain"), List.of(big, big), 5));
    e2e.start(harness("server: {max_response_bytes: 4096}\n", "cache: {ttl_s: 60}\n"));
    assertThat(get("/t/api/chunks").body()).isEqualTo("abcd");
    Res hit = get("/t/api/chunks");
    assertThat(hit.body()).isEqualTo("abcd");
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Content-Length")).isEqualTo("4");
    assertThat(get("/t/api/big").body()).hasSize(20_000);
    Res again = get("/t/api/big");
    assertThat(again.body()).hasSize(20_000);
    assertThat(again.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count("/big")).isEqualTo(2);
  }
}
