package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream answers framed in the older or rarer ways HTTP allows, from a raw socket (no HTTP library on the
 * upstream side to tidy them): each reaches the client whole through {@code /t/}.
 */
class UpstreamFramingEndToEndTest {
  private ServerSocket upstream;
  private GatewayHarness gw;

  @AfterEach
  void stop() throws IOException {
    if (gw != null) {
      gw.close();
    }
    upstream.close();
  }

  /** Starts an upstream that answers each connection's first request with {@code answer}, then closes it. */
  private void upstreamAnswering(String answer, AtomicReference<String> seen) throws IOException {
    upstream = new ServerSocket(0);
    Thread accepter = new Thread(() -> {
      while (!upstream.isClosed()) {
        try (Socket socket = upstream.accept()) {
          seen.set(readHead(socket.getInputStream()));
          OutputStream out = socket.getOutputStream();
          out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException closed) {
          return;
        }
      }
    });
    accepter.setDaemon(true);
    accepter.start();
    gw = GatewayHarness.yaml("""
        targets:
          api: {base_url: "http://127.0.0.1:%d"}
        """.formatted(upstream.getLocalPort())).start();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void passesOnABodyThatEndsWhenTheUpstreamClosesTheConnection() throws IOException {
    upstreamAnswering("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "x".repeat(100_000), new AtomicReference<>());
    String raw = RawHttp.exchange(gw.port(), "GET /t/api/old HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    RawHttp.Response answer = RawHttp.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.complete()).as("the chunked answer ends with its last chunk").isTrue();
    assertThat(answer.body()).isEqualTo("x".repeat(100_000));
  }

  @Test
  void answersAHeadRequestWithTheUpstreamsHeadAndNoBody() throws IOException {
    AtomicReference<String> seen = new AtomicReference<>();
    upstreamAnswering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12345\r\n\r\n", seen);
    String answer = RawHttp.exchange(gw.port(), "HEAD /t/api/thing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(answer)).isEqualTo(200);
    assertThat(answer).containsIgnoringCase("content-length: 12345").endsWith("\r\n\r\n");
    assertThat(seen.get()).startsWith("HEAD /thing HTTP/1.1");
  }

  @Test
  void passesOnTheFinalAnswerAfterInterimOnes() throws IOException {
    upstreamAnswering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}", new AtomicReference<>());
    var res = gw.http.get("/t/api/hints");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"ok\":true}");
  }
}
