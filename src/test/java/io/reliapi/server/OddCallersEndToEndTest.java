package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.RawHttp;
import io.reliapi.testing.TestHttp.Res;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantees an odd caller must not walk around (docs/guarantees.md, "Odd callers"): a request that names another
 * method in a method-override header, conflicting or duplicated guarantee headers, and the like. One gateway for
 * the class; waits (backoff, hedges) are skipped at once by an automatic scheduler, so a hedge starts as soon as
 * its attempt does.
 */
class OddCallersEndToEndTest {
  private static final String FAST_RETRIES = "retry_matrix: {\"429\": {attempts: 3, backoff: constant, base_s: 0.01}, "
      + "\"5xx\": {attempts: 3, backoff: constant, base_s: 0.01}, net: {attempts: 3, backoff: constant, base_s: 0.01}, "
      + "timeout: {attempts: 3, backoff: constant, base_s: 0.01}}";
  private static final String[] OVERRIDES = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final ManualClock CLOCK = new ManualClock();

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: alice, key_env: ALICE_KEY}
        - {name: bob, key_env: BOB_KEY, targets: [api], rate_limit: {rps: 1, burst: 1}}
      server: {max_body_bytes: 4096}
      targets:
        api:
          base_url: "%1$s"
          circuit: {enabled: false}
          auth: {type: bearer_env, env_var: API_SECRET}
          cache: {ttl_s: 60}
          %2$s
        hedged:
          base_url: "%1$s/h"
          circuit: {enabled: false}
          hedge: {after_ms: 200}
          retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
        chat:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini}
        capped:
          base_url: "%1$s/c/v1"
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100000, hard_cost_cap_usd: 0.01}
        open:
          base_url: "%1$s/o/v1"
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100000, hard_cost_cap_usd: 0.01,
                raw_paths: ["/"]}
      """.formatted(up.baseUrl(), FAST_RETRIES))
      .env("ALICE_KEY", "k-alice").env("API_SECRET", "s3cret-upstream").env("BOB_KEY", "k-bob")
      .clock(CLOCK, ManualScheduler.auto(CLOCK)));

  private static Res get(String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-API-Key";
    all[1] = "k-alice";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return e2e.gw().http.get(path, all);
  }

  @Test
  void neverRetriesAGetThatAMethodOverrideHeaderTurnsIntoAPost() {
    for (String header : OVERRIDES) {
      String path = "/override-5xx-" + header.toLowerCase();
      e2e.up().otherwise("* " + path, Behavior.status(503));
      Res r = get("/t/api" + path, header, "POST");
      assertThat(r.status()).as(header).isEqualTo(503);
      assertThat(r.header("X-Retries")).as(header).isEqualTo("0");
      assertThat(e2e.up().count(path)).as(header).isEqualTo(1);
      assertThat(e2e.up().last().header(header)).as("the override still reaches the upstream").isEqualTo("POST");
    }
    e2e.up().otherwise("* /override-put", Behavior.status(503));
    assertThat(e2e.gw().http.method("PUT", "/t/api/override-put", "{}", "X-API-Key", "k-alice",
        "X-HTTP-Method-Override", "PATCH").status()).isEqualTo(503);
    assertThat(e2e.up().count("/override-put")).as("a PUT the upstream may run as a PATCH").isEqualTo(1);
  }

  @Test
  void stillRetriesAGetWhoseOverrideNamesAnIdempotentMethod() {
    e2e.up().script("* /override-delete", Behavior.status(503), Behavior.status(200));
    assertThat(get("/t/api/override-delete", "X-HTTP-Method-Override", "DELETE").status()).isEqualTo(200);
    assertThat(e2e.up().count("/override-delete")).isEqualTo(2);
  }

  @Test
  void neverRetriesAnEnvelopeGetWhoseHeadersOverrideItsMethod() {
    e2e.up().otherwise("* /envelope-override", Behavior.status(503));
    Res r = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/envelope-override\","
        + "\"headers\":{\"x-http-method-override\":\"post\"}}", "X-API-Key", "k-alice");
    assertThat(r.json().get("meta").get("retries").asInt()).isZero();
    assertThat(e2e.up().count("/envelope-override")).isEqualTo(1);
  }

  @Test
  void neverCachesOrReplaysAGetThatAMethodOverrideHeaderTurnsIntoAPost() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("* /charge", Behavior.numbered(calls, 200));
    Res first = get("/t/api/charge", "X-HTTP-Method-Override", "POST");
    Res second = get("/t/api/charge", "X-HTTP-Method-Override", "POST");
    assertThat(second.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(second.body()).isNotEqualTo(first.body());
    assertThat(e2e.up().count("/charge")).isEqualTo(2);
    Res plain = get("/t/api/charge");
    assertThat(plain.header("X-Cache-Hit")).as("nor does an overridden answer serve a plain GET").isEqualTo("false");
    assertThat(e2e.up().count("/charge")).isEqualTo(3);
  }

  @Test
  void neverHedgesAGetThatAMethodOverrideHeaderTurnsIntoAPost() {
    e2e.up().otherwise("* /h/slow", Behavior.delayed(300, Behavior.status(200)));
    assertThat(get("/t/hedged/slow").status()).isEqualTo(200);
    assertThat(e2e.up().count("/h/slow")).as("a plain GET is hedged").isEqualTo(2);
    e2e.up().reset();
    e2e.up().otherwise("* /h/slow", Behavior.delayed(300, Behavior.status(200)));
    assertThat(get("/t/hedged/slow", "X-HTTP-Method-Override", "POST").status()).isEqualTo(200);
    assertThat(e2e.up().count("/h/slow")).isEqualTo(1);
  }

  @Test
  void refusesTwoIdempotencyKeyHeadersWithDifferentKeysBeforeAnyCall() {
    e2e.up().otherwise("* /pay", Behavior.status(201));
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    Res raw = e2e.gw().http.post("/t/api/pay", "{}", "X-API-Key", "k-alice",
        "Idempotency-Key", "order-1", "Idempotency-Key", "order-2");
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.json().get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    Res envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay\"}",
        "X-API-Key", "k-alice", "Idempotency-Key", "order-1", "Idempotency-Key", "order-2");
    assertThat(envelope.status()).isEqualTo(400);
    assertThat(envelope.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    Res chat = e2e.gw().http.post("/v1/chat/completions", CHAT, "X-API-Key", "k-alice", "X-ReliAPI-Target", "chat",
        "Idempotency-Key", "order-1", "Idempotency-Key", "order-2");
    assertThat(chat.status()).isEqualTo(400);
    assertThat(chat.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void refusesTwoTargetOrStreamCommitHeadersWithDifferentValuesBeforeAnyCall() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    Res targets = e2e.gw().http.post("/v1/chat/completions", CHAT, "X-API-Key", "k-alice",
        "X-ReliAPI-Target", "chat", "X-ReliAPI-Target", "capped");
    assertThat(targets.status()).isEqualTo(400);
    assertThat(targets.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    Res messages = e2e.gw().http.post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "X-API-Key", "k-alice",
        "X-ReliAPI-Target", "capped", "X-ReliAPI-Target", "chat");
    assertThat(messages.status()).isEqualTo(400);
    assertThat(messages.json().get("type").asText()).as("Anthropic's error shape").isEqualTo("error");
    Res commits = e2e.gw().http.post("/v1/chat/completions", CHAT.replace("}]}", "}],\"stream\":true}"),
        "X-API-Key", "k-alice", "X-ReliAPI-Target", "chat",
        "X-ReliAPI-Stream-Commit", "complete", "X-ReliAPI-Stream-Commit", "none");
    assertThat(commits.status()).isEqualTo(400);
    assertThat(e2e.up().total()).isZero();
    Res same = e2e.gw().http.post("/v1/chat/completions", CHAT, "X-API-Key", "k-alice",
        "X-ReliAPI-Target", "chat", "X-ReliAPI-Target", "chat");
    assertThat(same.status()).as("the same value twice is one value").isEqualTo(200);
    assertThat(same.header("X-ReliAPI-Target")).isEqualTo("chat");
  }

  @Test
  void takesTheSameKeyRepeatedOnTwoLinesAsOneKey() {
    e2e.up().otherwise("* /pay-twice", Behavior.numbered(new AtomicInteger(), 201));
    Res first = e2e.gw().http.post("/t/api/pay-twice", "{}", "X-API-Key", "k-alice",
        "Idempotency-Key", "order-3", "Idempotency-Key", "order-3");
    Res replay = e2e.gw().http.post("/t/api/pay-twice", "{}", "X-API-Key", "k-alice", "Idempotency-Key", "order-3");
    assertThat(first.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(e2e.up().count("/pay-twice")).isEqualTo(1);
  }

  @Test
  void refusesAnEmptyOrOverlongIdempotencyKeyBeforeAnyCall() {
    e2e.up().otherwise("* /pay-odd", Behavior.status(201));
    for (String key : new String[] {"", "\"\"", "k".repeat(256), "k".repeat(7_000)}) {
      Res r = e2e.gw().http.post("/t/api/pay-odd", "{}", "X-API-Key", "k-alice", "Idempotency-Key", key);
      assertThat(r.status()).as("a key of %d characters", key.length()).isEqualTo(400);
      assertThat(r.json().get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void authorisesAndChargesTheClientOfXApiKeyWhenABearerTokenNamesAnother() {
    CLOCK.advance(java.time.Duration.ofMinutes(1));
    e2e.up().otherwise("* /h/who", Behavior.status(200));
    e2e.up().otherwise("* /who", Behavior.status(200));
    // bob may reach only api and has one request a second; alice may reach everything, unlimited.
    assertThat(e2e.gw().http.get("/t/hedged/who", "X-API-Key", "k-alice", "Authorization", "Bearer k-bob").status())
        .isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/api/who", "X-API-Key", "k-alice", "Authorization", "Bearer k-bob").status())
        .isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/api/who", "X-API-Key", "k-bob").status()).as("bob's one token is still there")
        .isEqualTo(200);
    // Last: bob's 403 takes his token too (the limit comes before the target's access check).
    CLOCK.advance(java.time.Duration.ofMinutes(1));
    assertThat(e2e.gw().http.get("/t/hedged/who", "X-API-Key", "k-bob", "Authorization", "Bearer k-alice").status())
        .isEqualTo(403);
    assertThat(e2e.up().requests()).allSatisfy(q -> {
      assertThat(q.header("Authorization")).as("only the target's own credential").isIn(null, "Bearer s3cret-upstream");
      assertThat(q.header("X-API-Key")).isNull();
    });
  }

  @Test
  void refusesTwoXApiKeyHeadersWithDifferentKeysWhicheverComesFirst() {
    e2e.up().otherwise("* /two-keys", Behavior.status(200));
    assertThat(e2e.gw().http.get("/t/api/two-keys", "X-API-Key", "k-alice", "X-API-Key", "k-wrong").status()).isEqualTo(401);
    assertThat(e2e.gw().http.get("/t/api/two-keys", "X-API-Key", "k-wrong", "X-API-Key", "k-alice").status()).isEqualTo(401);
    assertThat(e2e.gw().http.get("/t/api/two-keys", "X-API-Key", "k-alice", "X-API-Key", "k-bob").status()).isEqualTo(401);
    assertThat(e2e.gw().http.get("/v1/models", "Authorization", "Bearer k-alice", "Authorization", "Bearer k-bob").status())
        .isEqualTo(401);
    assertThat(e2e.gw().http.get("/t/api/two-keys", "X-API-Key", "k-alice", "X-API-Key", "k-alice").status())
        .as("the same key twice is one key").isEqualTo(200);
    assertThat(e2e.up().count("/two-keys")).isEqualTo(1);
  }

  @Test
  void refusesAnExpectContinueBodyOverTheLimitWithoutInvitingItOrCallingTheUpstream() {
    e2e.up().otherwise("* /upload", Behavior.status(201));
    String answer = RawHttp.exchange(e2e.gw().port(), "POST /t/api/upload HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n"
        + "Content-Type: application/octet-stream\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void invitesAnExpectContinueBodyWithinTheLimitAndServesIt() {
    e2e.up().otherwise("* /upload-small", Behavior.echo());
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      connection.write("POST /t/api/upload-small HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n"
          + "Content-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(100);
      connection.write("hello");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/upload-small")).isEqualTo(1);
    assertThat(e2e.up().last().bodyText()).isEqualTo("hello");
    String unauthorized = RawHttp.exchange(e2e.gw().port(), "POST /t/api/upload-small HTTP/1.1\r\nHost: gw\r\n"
        + "X-API-Key: k-wrong\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
    assertThat(unauthorized).startsWith("HTTP/1.1 401");
  }

  @Test
  void neverLetsAnAbsoluteFormTargetOrAForeignHostSteerTheUpstreamsVirtualHost() {
    e2e.up().otherwise("* /host-check", Behavior.status(200));
    String answer = RawHttp.exchange(e2e.gw().port(), "GET http://billing.internal/t/api/host-check HTTP/1.1\r\n"
        + "Host: billing.internal\r\nX-API-Key: k-alice\r\nX-Forwarded-Host: billing.internal\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).isEqualTo(200);
    assertThat(e2e.up().count("/host-check")).isEqualTo(1);
    assertThat(e2e.up().last().header("Host")).isEqualTo("127.0.0.1:" + e2e.up().port());
    assertThat(e2e.up().last().header("X-Forwarded-Host")).isNull();
    Res envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/host-check\","
        + "\"headers\":{\"Host\":\"billing.internal\"},\"cache\":0}", "X-API-Key", "k-alice");
    assertThat(envelope.status()).isEqualTo(200);
    assertThat(e2e.up().last().header("Host")).isEqualTo("127.0.0.1:" + e2e.up().port());
  }

  @Test
  void neverServesACachedHeadsEmptyAnswerToAGet() {
    e2e.up().otherwise("* /doc", Behavior.respond(200, Map.of("Content-Type", "text/plain"), "the document"));
    assertThat(e2e.gw().http.method("HEAD", "/t/api/doc", null, "X-API-Key", "k-alice").status()).isEqualTo(200);
    Res get = get("/t/api/doc");
    assertThat(get.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(get.body()).isEqualTo("the document");
  }

  @Test
  void neverCachesAPartialOrNotModifiedAnswerForAClientThatAskedForTheWhole() {
    e2e.up().otherwise("* /range", call -> {
      var request = call.request();
      if (request.getHeader("Range") != null) {
        request.response().setStatusCode(206).putHeader("Content-Range", "bytes 0-3/12").end("the ");
      } else if (request.getHeader("If-None-Match") != null) {
        request.response().setStatusCode(304).putHeader("ETag", "\"v1\"").end();
      } else {
        request.response().setStatusCode(200).putHeader("ETag", "\"v1\"").end("the document");
      }
    });
    assertThat(get("/t/api/range", "Range", "bytes=0-3").status()).isEqualTo(206);
    assertThat(get("/t/api/range", "If-None-Match", "\"v1\"").status()).isEqualTo(304);
    Res whole = get("/t/api/range");
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("the document");
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(e2e.up().count("/range")).isEqualTo(3);
  }

  @Test
  void neverServesOneCallersCachedAnswerToAnotherClientOrToOtherForwardedCredentials() {
    e2e.up().otherwise("* /me", Behavior.numbered(new AtomicInteger(), 200));
    Res alice = get("/t/api/me", "Cookie", "session=alice");
    assertThat(get("/t/api/me", "Cookie", "session=alice").header("X-Cache-Hit")).isEqualTo("true");
    assertThat(get("/t/api/me", "Cookie", "session=mallory").body()).isNotEqualTo(alice.body());
    assertThat(get("/t/api/me").body()).as("no cookie at all").isNotEqualTo(alice.body());
    CLOCK.advance(java.time.Duration.ofMinutes(1)); // bob's one token back
    assertThat(e2e.gw().http.get("/t/api/me", "X-API-Key", "k-bob", "Cookie", "session=alice").body())
        .as("another client with the same cookie").isNotEqualTo(alice.body());
    assertThat(e2e.up().count("/me")).isEqualTo(4);
  }

  private static Res capped(String route, String fields) {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]," + fields + "}";
    return route.equals("v1")
        ? e2e.gw().http.post("/v1/chat/completions", body, "X-API-Key", "k-alice", "X-ReliAPI-Target", "capped")
        : e2e.gw().http.post("/t/capped/chat/completions", body, "X-API-Key", "k-alice");
  }

  @Test
  void capsWhatTheProviderWillReadWhenAnOutputLimitIsWrittenTwiceOrOddly() {
    e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    for (String route : new String[] {"v1", "raw"}) {
      // 100,000 output tokens of gpt-4o-mini cost $0.06, over the $0.01 hard cap; 10 cost nothing to speak of.
      assertThat(capped(route, "\"max_tokens\":10,\"max_tokens\":100000").status()).as(route).isEqualTo(400);
      assertThat(capped(route, "\"max_tokens\":\"100000\"").status()).as(route).isEqualTo(400);
      assertThat(capped(route, "\"max_tokens\":10,\"max_completion_tokens\":100000").status()).as(route)
          .isEqualTo(400);
      assertThat(capped(route, "\"max_tokens\":100,\"n\":200").status()).as(route).isEqualTo(400);
      assertThat(e2e.up().total()).as(route).isZero();
      Res sent = capped(route, "\"max_tokens\":100000,\"max_tokens\":10");
      assertThat(sent.status()).as(route).isEqualTo(200);
      String forwarded = e2e.up().last().bodyText();
      assertThat(forwarded.split("\"max_tokens\"", -1)).as("one output limit reaches the provider: " + forwarded)
          .hasSize(2);
      assertThat(forwarded).contains("\"max_tokens\":10").doesNotContain("100000");
      e2e.up().reset();
      e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    }
  }

  @Test
  void capsAnOutputLimitWrittenTwiceAsTheLastOneOnEveryLlmRoute() {
    e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    String user = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    Map<String, String> routes = Map.of(
        "/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",%s}",
        "/v1/messages", "{\"model\":\"gpt-4o-mini\"," + user + ",%s}",
        "/proxy/llm", "{\"target\":\"capped\",\"model\":\"gpt-4o-mini\"," + user + ",%s}");
    Map<String, String> limits = Map.of("/v1/responses", "max_output_tokens", "/v1/messages", "max_tokens",
        "/proxy/llm", "max_tokens");
    routes.forEach((route, body) -> {
      String name = limits.get(route);
      // Jackson reads the last of two members, as the providers' parsers do, and one value is sent on.
      Res large = e2e.gw().http.post(route, body.formatted("\"" + name + "\":10,\"" + name + "\":100000"),
          "X-API-Key", "k-alice", "X-ReliAPI-Target", "capped");
      assertThat(large.status()).as(route).isEqualTo(400);
      assertThat(large.body()).as(route).contains("BUDGET_EXCEEDED");
      assertThat(e2e.up().total()).as(route).isZero();
      Res small = e2e.gw().http.post(route, body.formatted("\"" + name + "\":100000,\"" + name + "\":10"),
          "X-API-Key", "k-alice", "X-ReliAPI-Target", "capped");
      assertThat(small.status()).as(route).isEqualTo(200);
      assertThat(e2e.up().last().bodyText()).as(route).doesNotContain("100000");
      e2e.up().reset();
      e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    });
  }

  @Test
  void refusesAModelNameThatOnlyLooksLikeAPricedOneOnACappedTarget() {
    e2e.up().otherwise("POST /c/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    for (String model : new String[] {"GPT-4O-MINI", "gpt-4o-mini ", " gpt-4o-mini", "gpt-4o-mini\\u0000"}) {
      String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"max_tokens\":100000}";
      Res r = e2e.gw().http.post("/v1/chat/completions", body, "X-API-Key", "k-alice", "X-ReliAPI-Target", "capped");
      assertThat(r.status()).as(model).isEqualTo(400);
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void neverForwardsATraceOrConnectWhoseEchoWouldShowTheTargetsCredential() {
    e2e.up().otherwise("* /trace", Behavior.echo());
    for (String method : new String[] {"TRACE", "trace", "CONNECT", "Trace"}) {
      String answer = RawHttp.exchange(e2e.gw().port(), method + " /t/api/trace HTTP/1.1\r\nHost: gw\r\n"
          + "X-API-Key: k-alice\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.status(answer)).as(method).isEqualTo(405);
      assertThat(answer).as(method).doesNotContain("s3cret-upstream").contains("METHOD_NOT_ALLOWED");
    }
    assertThat(e2e.up().total()).isZero();
    e2e.up().otherwise("* /echo", Behavior.echo());
    assertThat(e2e.gw().http.method("OPTIONS", "/t/api/echo", null, "X-API-Key", "k-alice").status())
        .as("other methods pass").isEqualTo(200);
  }

  @Test
  void servesTwoPipelinedRequestsWithOneKeyOnOneConnectionWithOneUpstreamCall() {
    e2e.up().otherwise("* /pipelined", Behavior.numbered(new AtomicInteger(), 201));
    String request = "POST /t/api/pipelined HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n"
        + "Idempotency-Key: pipe-1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      connection.write(request + request);
      RawConnection.Answer first = connection.readAnswer();
      RawConnection.Answer second = connection.readAnswer();
      assertThat(first.status()).isEqualTo(201);
      assertThat(second.status()).isEqualTo(201);
      assertThat(second.body()).isEqualTo(first.body());
    }
    assertThat(e2e.up().count("/pipelined")).isEqualTo(1);
  }

  @Test
  void servesAKeyedHttp10RequestWithoutHostAndReplaysIt() {
    e2e.up().otherwise("* /old-client", Behavior.numbered(new AtomicInteger(), 201));
    String request = "POST /t/api/old-client HTTP/1.0\r\nX-API-Key: k-alice\r\nIdempotency-Key: old-1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    String first = RawHttp.exchange(e2e.gw().port(), request);
    String second = RawHttp.exchange(e2e.gw().port(), request);
    assertThat(RawHttp.status(first)).isEqualTo(201);
    assertThat(second.substring(second.indexOf("\r\n\r\n"))).isEqualTo(first.substring(first.indexOf("\r\n\r\n")));
    assertThat(e2e.up().count("/old-client")).isEqualTo(1);
  }

  @Test
  void neverServesAnAnswerFetchedWithOneForwardedApiKeyToARequestWithAnother() {
    e2e.up().otherwise("* /account", Behavior.numbered(new AtomicInteger(), 200));
    for (String header : new String[] {"X-API-Key", "api-key", "X-Goog-Api-Key"}) {
      String first = envelopeGet("/account", header, "user-a-" + header);
      assertThat(envelopeGet("/account", header, "user-a-" + header)).as(header).isEqualTo(first);
      assertThat(envelopeGet("/account", header, "user-b-" + header)).as(header).isNotEqualTo(first);
    }
    e2e.up().otherwise("* /t-account", Behavior.numbered(new AtomicInteger(), 200));
    Res first = get("/t/api/t-account", "api-key", "user-a");
    assertThat(get("/t/api/t-account", "api-key", "user-b").body()).isNotEqualTo(first.body());
  }

  private static String envelopeGet(String path, String header, String value) {
    Res r = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"" + path
        + "\",\"headers\":{\"" + header + "\":\"" + value + "\"}}", "X-API-Key", "k-alice");
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("data").get("body").toString();
  }

  @Test
  void neverLetsAMethodOverrideOrALowerCasePostCarryAnUnpricedCompletionPastTheRawPaths() {
    e2e.up().otherwise("* /o/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi", 8, 2));
    e2e.up().otherwise("* /o/v1/models", Behavior.status(200));
    String expensive = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"max_tokens\":100000}";
    for (String method : new String[] {"GET", "PUT"}) {
      Res overridden = e2e.gw().http.method(method, "/t/open/chat/completions", expensive, "X-API-Key", "k-alice",
          "Content-Type", "application/json", "X-HTTP-Method-Override", "POST");
      assertThat(overridden.status()).as(method).isEqualTo(403);
    }
    Res envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"open\",\"method\":\"GET\",\"path\":\"/models\","
        + "\"headers\":{\"X-HTTP-Method-Override\":\"POST\"}}", "X-API-Key", "k-alice");
    assertThat(envelope.status()).isEqualTo(403);
    String lowerCase = RawHttp.exchange(e2e.gw().port(), "post /t/open/chat/completions HTTP/1.1\r\nHost: gw\r\n"
        + "X-API-Key: k-alice\r\nContent-Type: application/json\r\nContent-Length: "
        + expensive.length() + "\r\nConnection: close\r\n\r\n" + expensive);
    assertThat(RawHttp.status(lowerCase)).as("priced like a POST: over the hard cap").isEqualTo(400);
    assertThat(lowerCase).contains("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
    assertThat(e2e.gw().http.get("/t/open/models", "X-API-Key", "k-alice").status()).as("a listed path still passes")
        .isEqualTo(200);
  }
}
