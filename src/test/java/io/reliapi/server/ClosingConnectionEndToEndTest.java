package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.RecordingUpstream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 9112 §9.6: once an answer says {@code Connection: close}, no later request on that connection is processed. Each
 * refusal that closes the connection is sent with a request pipelined behind it; that request never reaches a route,
 * so the upstream (recording every request it reads) never sees it, whether it was read before the refusal was
 * written or after.
 */
class ClosingConnectionEndToEndTest {
  private static RecordingUpstream upstream;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() {
    upstream = RecordingUpstream.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    gw = GatewayHarness.yaml("""
        server: {max_body_bytes: 1000, body_timeout_ms: 400}
        clients:
          - {name: alice, key_env: ALICE_KEY}
          - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 0.001, burst: 1}}
        targets:
          api: {base_url: "http://127.0.0.1:%d", circuit: {enabled: false}}
        """.formatted(upstream.port())).env("ALICE_KEY", "k-alice").env("LIMITED_KEY", "k-limited").start();
    assertThat(gw.http.get("/t/api/spend", "X-API-Key", "k-limited").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    gw.close();
    upstream.close();
  }

  private static String post(String path, String key, String more, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + (key == null ? "" : "X-API-Key: " + key + "\r\n") + more + "Content-Length: " + body.length() + "\r\n\r\n"
        + body;
  }

  private static String envelope() {
    return "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/x\"}";
  }

  @Test
  void unauthenticatedRequestsClose() {
    refusedThenNothingServed("401 /t/", post("/t/api/x", null, "", "{}"), 401);
    refusedThenNothingServed("401 /proxy/http", post("/proxy/http", null, "", envelope()), 401);
  }

  @Test
  void rateLimitedRequestsClose() {
    refusedThenNothingServed("429 /t/", post("/t/api/x", "k-limited", "", "{}"), 429);
    refusedThenNothingServed("429 /proxy/http", post("/proxy/http", "k-limited", "", envelope()), 429);
  }

  @Test
  void bodiesTooLargeClose() {
    refusedThenNothingServed("413 by declared length", post("/t/api/x", "k-alice", "", "x".repeat(1001)), 413);
    refusedThenNothingServed("413 on a body-less route",
        "GET /healthz HTTP/1.1\r\nHost: gw\r\nContent-Length: 70000\r\n\r\n" + "x".repeat(70_000), 413);
  }

  @Test
  void unroutedRequestsWithABodyClose() {
    refusedThenNothingServed("404", post("/nowhere", "k-alice", "", "{}"), 404);
    refusedThenNothingServed("405", "PUT /proxy/http HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n"
        + "Content-Length: 2\r\n\r\n{}", 405);
  }

  @Test
  void refusedFramingCloses() {
    refusedThenNothingServed("coding beyond chunked",
        post("/t/api/x", "k-alice", "Transfer-Encoding: gzip, chunked\r\n", "") + "2\r\n{}\r\n0\r\n\r\n", 400);
    refusedThenNothingServed("two Host lines", "POST /t/api/x HTTP/1.1\r\nHost: gw\r\nHost: gw\r\n"
        + "X-API-Key: k-alice\r\nContent-Length: 2\r\n\r\n{}", 400);
    refusedThenNothingServed("no Host, no body", "GET /t/api/x HTTP/1.1\r\nX-API-Key: k-alice\r\n\r\n", 400);
  }

  @Test
  void aBodyThatCameTooLateCloses() {
    try (RawConnection connection = RawConnection.open(gw.port(), 3_000)) {
      connection.write("POST /t/api/slow HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\nContent-Length: 4\r\n\r\n{}");
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      connection.write("{}" + after("408"));
      assertThat(connection.closedByServer()).isTrue();
    }
    nothingServedAfter("408");
  }

  /**
   * The lingering close (RFC 9112 §9.6): the refused request and the one behind it arrive in one write, and the refusal
   * reaches the client whole, followed by an orderly end, never a reset, even when more is pipelined behind it than
   * the socket buffers hold (closing a socket with unread bytes sends a reset that can destroy the answer).
   */
  @Test
  void aRefusalReachesAPipeliningClientWholeBeforeAnOrderlyEnd() {
    String tail = "POST /t/api/more HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\nContent-Length: 16000000\r\n\r\n"
        + "x".repeat(16_000_000);
    for (String pipelined : new String[] {after("lingering"), tail}) {
      refusedThenEndedInOrder(post("/t/api/x", null, "", "{}") + pipelined, 401);
      refusedThenEndedInOrder(post("/t/api/x", "k-limited", "", "{}") + pipelined, 429);
    }
    nothingServedAfter("lingering");
  }

  /** A client that keeps sending after the refusal is cut off at the linger's deadline. */
  @Test
  void aClientThatKeepsSendingIsCutAtTheLingersDeadline() {
    try (RawConnection connection = RawConnection.open(gw.port(), 3 * (int) UnreadBody.LINGER_MS)) {
      connection.write(post("/t/api/x", null, "", "{}") + after("trickle")).trickle(20);
      assertThat(connection.readAnswer().status()).isEqualTo(401);
      assertThat(connection.closedWithoutReset()).as("the answer is followed by its end").isTrue();
      await().atMost(Duration.ofMillis(3 * UnreadBody.LINGER_MS)).until(() -> {
        try {
          connection.write("x");
          return false;
        } catch (UncheckedIOException closed) {
          return true;
        }
      });
    }
  }

  private static void refusedThenEndedInOrder(String request, int status) {
    try (RawConnection connection = RawConnection.open(gw.port(), 3 * (int) UnreadBody.LINGER_MS)) {
      connection.writeAside(request.getBytes(StandardCharsets.ISO_8859_1));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(status);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(connection.closedWithoutReset()).as("the answer is followed by an orderly end").isTrue();
    }
  }

  /** The request pipelined behind a refusal: a path of its own for each case. */
  private static String after(String what) {
    return "GET /t/api" + upstreamPath(what) + " HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-alice\r\n\r\n";
  }

  private static String upstreamPath(String what) {
    return "/after/" + what.replaceAll("[^A-Za-z0-9]+", "-");
  }

  /** Sends {@code refused} with a request pipelined behind it in the same write. */
  private static void refusedThenNothingServed(String what, String refused, int status) {
    try (RawConnection connection = RawConnection.open(gw.port(), 3_000)) {
      connection.write(refused + after(what));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).as(what).isEqualTo(status);
      assertThat(answer.header("Connection")).as(what).isEqualToIgnoringCase("close");
      assertThat(connection.closedByServer()).as(what).isTrue();
    }
    nothingServedAfter(what);
  }

  /**
   * A request on a new connection, answered after the pipelined one would have been sent on: the upstream has seen
   * it by then, and never the pipelined one.
   */
  private static void nothingServedAfter(String what) {
    assertThat(gw.http.get("/t/api/control", "X-API-Key", "k-alice").status()).as(what).isEqualTo(200);
    assertThat(upstream.requests()).as(what + ": the upstream read the control request")
        .anyMatch(request -> request.head().startsWith("GET /control "));
    assertThat(upstream.requests()).as(what + ": and never the request pipelined behind the refusal")
        .noneMatch(request -> request.head().startsWith("GET " + upstreamPath(what) + " "));
  }
}
