package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle rule holds on the operator's routes too: a kept-alive connection that posted to the admin API (whose
 * body is read after its key is checked) is closed once it stays silent past {@code server.idle_timeout_s}.
 */
class OperatorConnectionIdleEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {port: 0, idle_timeout_s: 1}
      admin: {keys_env: ADMIN_KEY}
      targets:
        api: {base_url: "%s"}
      """.formatted(up.baseUrl())).env("ADMIN_KEY", "admin-k"));

  @Test
  void aConnectionThatPostedToTheAdminApiIsClosedOnceIdle() throws Exception {
    String body = "{\"state\": \"closed\"}";
    try (Socket socket = new Socket("127.0.0.1", e2e.gw().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /admin/targets/api/breaker HTTP/1.1\r\nHost: x\r\nX-API-Key: admin-k\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      long start = System.nanoTime();
      int b;
      while ((b = in.read()) >= 0) {
        answer.append((char) b);
      }
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer.toString()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
      assertThat(tookMs).as("closed after the idle timeout, not kept open").isLessThan(8_000);
    }
  }
}
