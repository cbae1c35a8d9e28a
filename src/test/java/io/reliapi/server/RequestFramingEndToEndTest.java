package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.RecordingUpstream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request framing towards the upstream (docs/guarantees.md, "Streams and framing"): a request whose body length
 * two parsers could read two ways is either refused before anything is sent, with the connection closed so its
 * tail is never read as a next request, or re-framed so the upstream (a strict parser on a raw socket, recording
 * every byte) reads exactly one request with the body the gateway judged.
 */
class RequestFramingEndToEndTest {
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
  private static final String SMUGGLED = "GET /t/api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  private RecordingUpstream upstream;
  private GatewayHarness gw;

  @BeforeEach
  void start() {
    upstream = RecordingUpstream.answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + COMPLETION.length() + "\r\n\r\n" + COMPLETION);
    gw = GatewayHarness.yaml("""
        targets:
          api:
            base_url: "http://127.0.0.1:%1$d"
            auth: {type: bearer_env, env_var: API_SECRET}
            circuit: {enabled: false}
          chat:
            base_url: "http://127.0.0.1:%1$d/v1"
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(upstream.port())).env("API_SECRET", "s3cret-upstream").start();
  }

  @AfterEach
  void stop() {
    gw.close();
    upstream.close();
  }

  /** The head of a POST on each route that takes a body, up to its framing headers. */
  private static List<String> postHeads() {
    return List.of(
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
        "POST /proxy/http HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-ReliAPI-Target: chat\r\n");
  }

  private static String chunked(String body) {
    return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  /** Sends {@code request} on a fresh connection; returns the answer's status line, or null when none came. */
  private static String[] exchange(int port, String request) {
    try (RawConnection conn = RawConnection.open(port, 3_000)) {
      conn.write(request);
      String status;
      try {
        status = String.valueOf(conn.readAnswer().status());
      } catch (AssertionError closedWithoutAnswer) {
        return new String[] {null, "closed"};
      }
      return new String[] {status, conn.closedByServer() ? "closed" : "open"};
    }
  }

  private static String envelopeOr(String head, String body) {
    return head.startsWith("POST /proxy/http")
        ? "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay\",\"body\":" + "\"" + body.replace("\"", "\\\"") + "\"" + "}"
        : head.startsWith("POST /v1/") ? CHAT : body;
  }

  @Test
  void aChunkedRequestThatAlsoCarriesContentLengthIsRefusedOnEveryRouteAndItsTailIsNeverReadAsARequest() {
    for (String head : postHeads()) {
      String body = envelopeOr(head, "{\"amount\":1}");
      String[] answer = exchange(gw.port(), head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
          + chunked(body) + SMUGGLED);
      assertThat(answer).as(head).containsExactly("400", "closed");
    }
    assertThat(upstream.requests()).as("nothing reaches the upstream").isEmpty();
  }

  @Test
  void twoContentLengthsThatDifferAreRefusedOnEveryRouteBeforeAnythingIsSent() {
    for (String head : postHeads()) {
      String body = envelopeOr(head, "{\"amount\":1}");
      String[] answer = exchange(gw.port(), head + "Content-Length: " + body.length() + "\r\nContent-Length: 4\r\n\r\n"
          + body + SMUGGLED);
      assertThat(answer).as(head).containsExactly("400", "closed");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aTransferCodingThatDoesNotEndInChunkedIsRefusedWhateverContentLengthSays() {
    for (String coding : List.of("xchunked", "chunked, identity", "identity")) {
      String[] answer = exchange(gw.port(), "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding
          + "\r\nContent-Length: 12\r\n\r\n{\"amount\":1}" + SMUGGLED);
      assertThat(answer).as(coding).containsExactly("400", "closed");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aLengthOrCodingWrittenInAnyWayTwoParsersCouldReadDifferentlyIsRefused() {
    List<String> heads = List.of(
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: +12\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length : 12\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nTransfer-Encoding : chunked\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: 12, 12\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Length: 12\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /t/api/pay HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /t/api/pay HTTP/1.1\nHost: x\nContent-Length: 12\n\n",
        "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nX-Note: a\rContent-Length: 99\r\nContent-Length: 12\r\n\r\n");
    for (String head : heads) {
      String[] answer = exchange(gw.port(), head + "{\"amount\":1}" + SMUGGLED);
      assertThat(answer).as(head).containsExactly("400", "closed");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void anInvalidChunkSizeAfterALargeFirstChunkIs400SendsNothingUpstreamAndClosesTheConnection() {
    for (String head : postHeads()) {
      String big = head.startsWith("POST /t/") ? "a".repeat(2_000_000) : envelopeOr(head, "x".repeat(100_000));
      String[] answer = exchange(gw.port(), head + "Transfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(big.length()) + "\r\n" + big + "\r\nZZ\r\nworld\r\n0\r\n\r\n");
      assertThat(answer).as(head).containsExactly("400", "closed");
    }
    assertThat(upstream.requests()).as("a chunked body is read whole before it is sent").isEmpty();
  }

  @Test
  void aMalformedChunkIsAnsweredInvalidRequestInTheRoutesShapeBeforeTheConnectionCloses() {
    List<String> badChunks = List.of(
        "5 \r\nhello\r\n0\r\n\r\n",             // a space after the size
        "5\r\nhelloXX0\r\n\r\n",                  // data longer than its size
        "5\r\nhello\r\nZZ\r\nworld\r\n0\r\n\r\n"); // a good chunk, then a size that is no number
    for (String head : postHeads()) {
      for (String chunks : badChunks) {
        try (RawConnection conn = RawConnection.open(gw.port(), 3_000)) {
          RawConnection.Answer answer = conn.write(head + "Transfer-Encoding: chunked\r\n\r\n" + chunks + SMUGGLED)
              .readAnswer();
          assertThat(answer.status()).as(head + chunks).isEqualTo(400);
          assertThat(answer.body()).as(head + chunks).contains("\"INVALID_REQUEST\"");
          assertThat(answer.header("X-Request-ID")).as(head + chunks).isNotBlank();
          assertThat(conn.closedByServer()).as(head + chunks).isTrue();
        }
      }
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aMalformedChunkOnARouteThatReadsItsBodyWholeIsAnsweredWithWhatWasWrongAndNoneOfItsBytes() {
    List<List<String>> badChunks = List.of(
        List.of("5 \r\nhello\r\n0\r\n\r\n", "chunk size"),
        List.of("5\r\nhelloXX0\r\n\r\n", "does not end with CRLF"),
        List.of("5\r\nhello\r\nZZ\r\nworld\r\n0\r\n\r\n", "chunk size"));
    for (String head : postHeads().subList(1, 3)) {
      for (List<String> chunks : badChunks) {
        try (RawConnection conn = RawConnection.open(gw.port(), 3_000)) {
          String body = conn.write(head + "Transfer-Encoding: chunked\r\n\r\n" + chunks.get(0)).readAnswer().body();
          assertThat(body).as(head + chunks).contains(chunks.get(1)).doesNotContain("XX").doesNotContain("ZZ");
        }
      }
    }
  }

  @Test
  void trailerFieldsOfAChunkedBodyNeverReachTheUpstreamNorReframeIt() {
    String[] answer = exchange(gw.port(), "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + "Trailer: X-Sig\r\n\r\n5\r\nhello\r\n0\r\nX-Sig: abc\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n");
    assertThat(answer[0]).isEqualTo("200");
    assertThat(upstream.requests()).hasSize(1);
    RecordingUpstream.Request seen = upstream.requests().get(0);
    assertThat(seen.body()).isEqualTo("hello");
    assertThat(seen.headerLines("content-length")).containsExactly("5");
    assertThat(seen.headerLines("x-sig")).isEmpty();
    assertThat(seen.headerLines("transfer-encoding")).isEmpty();
    assertThat(upstream.rawConnections()).singleElement().asString().doesNotContain("abc");
  }

  @Test
  void anObsFoldedHeaderReachesTheUpstreamAsOneLineAndCannotStartAnotherField() {
    String[] answer = exchange(gw.port(), "POST /t/api/pay HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n Content-Length: 99\r\n"
        + "Content-Length: 5\r\n\r\nhello");
    assertThat(answer[0]).isEqualTo("200");
    RecordingUpstream.Request seen = upstream.requests().get(0);
    assertThat(seen.headerLines("x-note")).containsExactly("a Content-Length: 99");
    assertThat(seen.headerLines("content-length")).containsExactly("5");
    assertThat(seen.body()).isEqualTo("hello");
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void fieldsTheClientNamesInConnectionAreDroppedButNeverTheTargetsOwnCredential() {
    String[] answer = exchange(gw.port(), "POST /t/api/pay HTTP/1.1\r\nHost: x\r\n"
        + "Connection: close, X-Trace-Secret, Authorization, X-Request-ID\r\nX-Trace-Secret: t\r\n"
        + "Authorization: Bearer client-token\r\nContent-Length: 5\r\n\r\nhello");
    assertThat(answer[0]).isEqualTo("200");
    RecordingUpstream.Request seen = upstream.requests().get(0);
    assertThat(seen.headerLines("x-trace-secret")).isEmpty();
    assertThat(seen.headerLines("authorization")).containsExactly("Bearer s3cret-upstream");
    assertThat(seen.headerLines("x-request-id")).hasSize(1);
    assertThat(seen.headerLines("connection")).allMatch(v -> !v.toLowerCase().contains("authorization"));
  }
}
