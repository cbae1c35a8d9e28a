package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import io.reliapi.testing.TlsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection rules hold over TLS as over plain HTTP: a connection silent after its handshake or after its answer
 * is closed at {@code idle_timeout_s}, a body that does not arrive within {@code body_timeout_ms} gets 408 and a
 * close, a malformed chunk gets 400 and a close, a client that hangs up mid-stream ends the upstream call, and a drain lets the request in flight finish.
 */
class ServerTlsConnectionRulesEndToEndTest {
  TestCertificates certs;
  TlsClient tls;
  MockUpstream up;
  GatewayHarness gw;

  @BeforeEach
  void start() throws IOException {
    certs = TestCertificates.create(Files.createTempDirectory("reliapi-tls-rules").resolve("ca"));
    tls = TlsClient.trusting(certs.caCert());
    up = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        server:
          idle_timeout_s: 1
          body_timeout_ms: 600
          drain_timeout_ms: 10000
          tls: {cert_file: "%s", key_file: "%s"}
        targets:
          api: {base_url: "%s"}
          openai:
            base_url: "%3$s/v1"
            %4$s
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(certs.serverCert(), certs.serverKey(), up.baseUrl(), TestYaml.NO_RETRIES)).start();
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    up.close();
  }

  @Test
  void closesAConnectionSilentAfterItsHandshakeOrAfterItsAnswerAtTheIdleTimeout() {
    try (RawConnection silent = RawConnection.openTls(gw.port(), 5_000, tls.context())) {
      assertThat(silent.closedByServer()).isTrue();
    }
    try (RawConnection kept = RawConnection.openTls(gw.port(), 5_000, tls.context())) {
      assertThat(kept.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readAnswer().status()).isEqualTo(200);
      assertThat(kept.closedByServer()).as("closed once idle after the answer").isTrue();
    }
  }

  @Test
  void aBodyThatStopsArrivingGets408AndTheConnectionCloses() {
    try (RawConnection slow = RawConnection.openTls(gw.port(), 5_000, tls.context())) {
      slow.write("POST /t/api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
      RawConnection.Answer answer = slow.readAnswer();
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
      assertThat(slow.closedByServer()).isTrue();
    }
    assertThat(up.count("/echo")).isZero();
  }

  /**
   * The lingering close over TLS: the answer that closes the connection, with 4 MB pipelined behind its request, is
   * followed by the gateway's close_notify (an orderly end of stream for the client), never a reset or a bare FIN.
   */
  @Test
  void anAnswerThatClosesIsFollowedByCloseNotifyWhateverIsPipelinedBehindIt() {
    try (RawConnection client = RawConnection.openTls(gw.port(), 5_000, tls.context())) {
      client.writeAside(("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
          + "POST /t/api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n" + "x".repeat(4_000_000))
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      RawConnection.Answer answer = client.readAnswer();
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(client.closedWithoutReset()).as("close_notify, then the end").isTrue();
    }
    assertThat(up.count("/echo")).isZero();
  }

  @Test
  void aMalformedChunkGets400BeforeTheConnectionCloses() {
    try (RawConnection client = RawConnection.openTls(gw.port(), 5_000, tls.context())) {
      client.write("POST /t/api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n");
      RawConnection.Answer answer = client.readAnswer();
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body()).contains("\"code\":\"INVALID_REQUEST\"");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(up.count("/echo")).isZero();
  }

  @Test
  void aClientThatHangsUpMidStreamEndsTheUpstreamCall() {
    AtomicBoolean upstreamClosed = new AtomicBoolean();
    up.script("POST /v1/chat/completions", LlmBehaviors.endlessOpenAiStream(upstreamClosed, 50));
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    RawConnection client = RawConnection.openTls(gw.port(), 5_000, tls.context());
    client.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body);
    await().atMost(Duration.ofSeconds(10)).until(() -> up.count("/v1/chat/completions") == 1);
    client.close();
    await().atMost(Duration.ofSeconds(10)).untilTrue(upstreamClosed);
  }

  @Test
  void aDrainLetsTheRequestInFlightFinishOverTls() throws Exception {
    up.script("GET /slow", Behavior.delayed(800, Behavior.json(200, "{\"ok\":true}")));
    TestHttp https = tls.to(gw.port());
    CompletableFuture<TestHttp.Res> inFlight = https.getAsync("/t/api/slow");
    await().atMost(Duration.ofSeconds(10)).until(() -> up.count("/slow") == 1);
    GatewayHarness draining = gw;
    gw = null;  // stopped here, not after the test
    draining.gateway().stop().await(20, TimeUnit.SECONDS);
    TestHttp.Res res = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"ok\":true}");
  }
}
