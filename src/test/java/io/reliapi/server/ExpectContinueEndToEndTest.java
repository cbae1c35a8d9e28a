package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Expect: 100-continue} on every kind of route: a body is invited only where it is read, once the request
 * passed what is checked before it (an admin key, a target, a breaker in front of a streamed body), and a request
 * answered without its body leaves no half-sent body on a connection that stays open.
 */
class ExpectContinueEndToEndTest {
  private static final int READ_TIMEOUT_MS = 5_000;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      admin: {keys_env: ADMIN_KEYS}
      clients:
        - {name: alice, key_env: ALICE_KEY}
        - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 0.001, burst: 1}}
      server: {max_body_bytes: 4000000}
      targets:
        api: {base_url: "%1$s", retry_matrix: {"5xx": {attempts: 1}}}
        guarded: {base_url: "%1$s/g", retry_matrix: {"5xx": {attempts: 1}}}
      """.formatted(up.baseUrl())).env("ADMIN_KEYS", "admin-a").env("ALICE_KEY", "k-alice")
          .env("LIMITED_KEY", "k-limited"));

  private static String head(String requestLine, String key, long length) {
    return requestLine + " HTTP/1.1\r\nHost: gw\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\nExpect: 100-continue\r\n\r\n";
  }

  @Test
  void refusesAWrongAdminKeyWithoutInvitingTheBodyAndClosesTheConnection() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /admin/targets/api/breaker", "wrong", 17));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void invitesAnAdminsBodyOnceTheKeyPassedAndActsOnIt() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /admin/targets/api/breaker", "admin-a", 17));
      assertThat(connection.readAnswer().status()).isEqualTo(100);
      connection.write("{\"state\":\"open\"}\n");
      RawConnection.Answer opened = connection.readAnswer();
      assertThat(opened.status()).isEqualTo(200);
      assertThat(opened.body()).contains("\"forced\":true");
      connection.write(head("POST /admin/targets/api/breaker", "admin-a", 19));
      assertThat(connection.readAnswer().status()).isEqualTo(100);
      connection.write("{\"state\":\"closed\"}\n");
      assertThat(connection.readAnswer().status()).as("the same connection carries the next request").isEqualTo(200);
    }
  }

  @Test
  void refusesAnUnknownTargetWithoutInvitingTheBody() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /t/nosuch/x", "k-alice", 5));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(404);
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void answersAPathWithNoRouteWithoutInvitingTheBodyAndClosesTheConnection() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /nothing-here", "k-alice", 5));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void answersTheModelListAndTheOperationsRoutesWithoutInvitingABodyAndClosesTheConnection() {
    String next = "GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n";
    for (String path : new String[] {"/v1/models", "/v1/models/api%2Fnone", "/healthz", "/readyz", "/metrics"}) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
        connection.write(head("GET " + path, "k-alice", next.length()));
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(path).isNotEqualTo(100);
        assertThat(answer.header("Connection")).as(path + ": the body never invited cannot be waited for")
            .isEqualToIgnoringCase("close");
        assertThat(connection.closedByServer()).as(path).isTrue();
      }
    }
  }

  @Test
  void refusesAModelListOverTheRateLimitWithoutInvitingTheBodyAndClosesTheConnection() {
    assertThat(e2e.gw().http.get("/v1/models", "X-API-Key", "k-limited").status()).isEqualTo(200);
    String next = "GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n";
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("GET /v1/models", "k-limited", next.length()));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void neverInvitesAStreamedBodyThatAnOpenBreakerKeepsFromTheUpstream() {
    assertThat(e2e.gw().http.post("/admin/targets/guarded/breaker", "{\"state\":\"open\"}", "X-API-Key", "admin-a")
        .status()).isEqualTo(200);
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /t/guarded/upload", "k-alice", 2_000_000));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(503);
      assertThat(connection.closedByServer()).isTrue();
    } finally {
      e2e.gw().http.post("/admin/targets/guarded/breaker", "{\"state\":\"closed\"}", "X-API-Key", "admin-a");
    }
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void invitesAStreamedBodyOnceTheUpstreamReadsItAndDeliversItWhole() {
    e2e.up().otherwise("* /upload", Behavior.status(201));
    int length = 1_500_000;
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(head("POST /t/api/upload", "k-alice", length));
      assertThat(connection.readAnswer().status()).isEqualTo(100);
      connection.write("x".repeat(length));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(201);
    }
    assertThat(e2e.up().count("/upload")).isEqualTo(1);
    assertThat(e2e.up().last().bodyText()).hasSize(length);
  }

  @Test
  void invitesTheBodyOfAnIdempotentReplayAndReplaysOnAConnectionThatCarriesTheNextRequest() {
    e2e.up().otherwise("POST /orders", Behavior.numbered(new java.util.concurrent.atomic.AtomicInteger(), 201));
    String order = "{\"sku\":\"a\"}";
    String keyed = "POST /t/api/orders HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\nIdempotency-Key: order-1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + order.length() + "\r\n";
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), READ_TIMEOUT_MS)) {
      connection.write(keyed + "\r\n" + order);
      RawConnection.Answer first = connection.readAnswer();
      assertThat(first.status()).isEqualTo(201);
      connection.write(keyed + "Expect: 100-continue\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(100);
      connection.write(order);
      RawConnection.Answer replay = connection.readAnswer();
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.body()).isEqualTo(first.body());
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
      connection.write("GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n");
      assertThat(connection.readAnswer().status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/orders")).isEqualTo(1);
  }
}
