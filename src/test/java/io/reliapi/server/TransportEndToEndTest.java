package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reliapi.config.ServerConfig.Transport;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@code server.transport} on real sockets: the gateway runs on the one named, both as a server and as the
 * upstream client, and keeps its guarantees (an upstream reset is retried once, a streamed answer arrives whole).
 * The rest of the suite runs on {@code auto}; the build runs a set of end-to-end classes again on epoll.
 */
class TransportEndToEndTest {
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL", "NIO"})
  void servesRetriesAndStreamsOnTheTransportNamed(Transport transport) {
    // io_uring needs Linux 5.14+ and a host that allows it (not Docker's default seccomp profile); this
    // machine kind allows it, so the case runs in CI.
    assumeTrue(EventLoopTransport.availableHere(transport), transport.word() + " is not available here");
    try (MockUpstream up = MockUpstream.start();
        GatewayHarness gw = GatewayHarness.yaml("""
            server: {transport: %s}
            targets:
              api: {base_url: "%s", retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}}
            """.formatted(transport.word(), up.baseUrl())).start()) {
      assertThat(gw.gateway().transport()).isEqualTo(transport);

      up.script("POST /echo", Behavior.echo());
      var echoed = gw.http.post("/t/api/echo", "{\"a\":1}", "Content-Type", "application/json");
      assertThat(echoed.status()).isEqualTo(200);
      assertThat(echoed.json().path("body").asText()).isEqualTo("{\"a\":1}");

      up.script("GET /flaky", Behavior.reset(), Behavior.json(200, "{\"ok\":true}"));
      var retried = gw.http.get("/t/api/flaky");
      assertThat(retried.status()).isEqualTo(200);
      assertThat(retried.body()).isEqualTo("{\"ok\":true}");
      assertThat(up.count("/flaky")).isEqualTo(2);

      up.script("GET /stream", Behavior.chunks(Map.of("Content-Type", "text/event-stream"),
          List.of("data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n"), 5));
      var streamed = gw.http.get("/t/api/stream");
      assertThat(streamed.status()).isEqualTo(200);
      assertThat(streamed.body()).isEqualTo("data: 1\n\ndata: 2\n\ndata: [DONE]\n\n");
    }
  }
}
