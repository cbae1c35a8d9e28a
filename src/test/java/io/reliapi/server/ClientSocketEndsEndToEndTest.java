package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reliapi.config.ServerConfig.Transport;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ways a client's socket ends that the hang-up tests do not cover, on io_uring and on epoll (the event loops
 * see a reset, an end of input and their own close through different kernel calls on each): a reset while the
 * gateway's writes to the client are queued, a client that half-closes after its request, and an answer to
 * {@code Connection: close}.
 */
class ClientSocketEndsEndToEndTest {
  private static final int CHUNK = 64 * 1024;

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
  void aClientThatResetsWhileWritesToItAreQueuedEndsTheUpstreamCallAndHoldsNothing(Transport transport)
      throws IOException {
    try (MockUpstream up = MockUpstream.start(); GatewayHarness gw = gateway(transport, up)) {
      up.otherwise("GET /flood", flood());
      Socket client = new Socket("127.0.0.1", gw.port());
      client.setReceiveBufferSize(4096);
      client.getOutputStream().write(("GET /t/api/flood HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      client.setSoTimeout(10_000);
      assertThat(client.getInputStream().read(new byte[1024])).isPositive();
      // The client reads no more: the gateway's writes to it queue up behind a full socket, and the upstream
      // is paused. Then the client resets the connection.
      soon().until(() -> up.openConnections() == 1 && gw.gateway().inFlight() == 1);
      client.setSoLinger(true, 0);
      client.close();

      soon().until(() -> gw.gateway().inFlight() == 0);
      soon().until(() -> up.openConnections() == 0);
      assertThat(MetricSamples.scrape(gw).value("reliapi_buffered_bytes")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
  void aClientThatHalfClosesAfterItsRequestIsTakenAsGoneAndHoldsNothing(Transport transport) throws IOException {
    try (MockUpstream up = MockUpstream.start(); GatewayHarness gw = gateway(transport, up)) {
      up.otherwise("GET /held", call -> { });
      try (Socket client = new Socket("127.0.0.1", gw.port())) {
        client.getOutputStream().write(("GET /t/api/held HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        soon().until(() -> up.count("/held") == 1);
        client.shutdownOutput();

        soon().until(() -> gw.gateway().inFlight() == 0);
        soon().until(() -> up.openConnections() == 0);
        client.setSoTimeout(10_000);
        assertThat(client.getInputStream().read()).as("the gateway closed its side").isEqualTo(-1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
  void anAnswerToConnectionCloseArrivesWholeAndThenTheConnectionEnds(Transport transport) throws IOException {
    try (MockUpstream up = MockUpstream.start(); GatewayHarness gw = gateway(transport, up)) {
      String big = "x".repeat(300_000);
      up.otherwise("GET /big", Behavior.json(200, "{\"data\":\"" + big + "\"}"));
      try (Socket client = new Socket("127.0.0.1", gw.port())) {
        client.setSoTimeout(10_000);
        client.getOutputStream().write(("GET /t/api/big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        String answer = readToEnd(client.getInputStream());

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\"data\":\"" + big + "\"}");
      }
      soon().until(() -> gw.gateway().inFlight() == 0);
    }
  }

  private static GatewayHarness gateway(Transport transport, MockUpstream up) {
    assumeTrue(EventLoopTransport.availableHere(transport), transport.word() + " is not available here");
    return GatewayHarness.yaml("""
        server: {transport: %s}
        targets:
          api: {base_url: "%s", retry_matrix: {net: {attempts: 1}}}
        """.formatted(transport.word(), up.baseUrl())).start();
  }

  /** A chunked answer of 16 MiB (more than the kernel buffers on both sides hold) written at once and never ended. */
  private static Behavior flood() {
    return call -> {
      var response = call.request().response().setChunked(true).putHeader("Content-Type", "application/octet-stream");
      Buffer chunk = Buffer.buffer(new byte[CHUNK]);
      for (int i = 0; i < 256; i++) {
        response.write(chunk);
      }
    };
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static org.awaitility.core.ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10));
  }
}
