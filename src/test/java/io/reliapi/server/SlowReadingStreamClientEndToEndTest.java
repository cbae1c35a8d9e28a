package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.TestYaml;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that reads nothing while the provider streams as fast as it can (docs/guarantees.md, "Streams and
 * framing"): the provider is held back (the gateway stops reading it, so the 50 MB it would send never pile up in
 * memory), the provider's connection is let go at {@code stream_max_s}, and nothing stays in flight or buffered once
 * the client has gone.
 */
class SlowReadingStreamClientEndToEndTest {
  static final long PROVIDER_BYTES = 50_000_000;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
        targets:
          gpt:
            base_url: "%1$s/v1"
            stream_max_s: 1.5
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /** Writes 1 KB chunks as fast as the gateway takes them, up to {@link #PROVIDER_BYTES}. */
  static Behavior floods(AtomicLong written, AtomicBoolean closed) {
    String role = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of(), 1, 1).get(0);
    String piece = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("y".repeat(1000)), 1, 1).get(1);
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      LlmBehaviors.sseHeaders().forEach(response::putHeader);
      call.request().connection().closeHandler(v -> closed.set(true));
      response.write(role);
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (!response.writeQueueFull() && !closed.get() && written.get() < PROVIDER_BYTES) {
          response.write(piece);
          written.addAndGet(piece.length());
        }
        if (!closed.get() && written.get() < PROVIDER_BYTES) {
          response.drainHandler(v -> pump[0].run());
        }
      };
      pump[0].run();
    };
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aClientThatReadsNothingHoldsTheProviderBackUntilStreamMaxSAndLeavesNothingBehind(StreamRoute route)
      throws IOException {
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    e2e.up().script("POST /v1/chat/completions", floods(written, closed));
    try (Socket client = new Socket("127.0.0.1", e2e.gw().port())) {
      client.setReceiveBufferSize(4096);
      byte[] body = route.body("gpt").getBytes(StandardCharsets.UTF_8);
      OutputStream out = client.getOutputStream();
      out.write(("POST " + route.path("gpt") + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();

      await().atMost(Duration.ofSeconds(6)).untilTrue(closed);
      assertThat(written.get()).as("the provider was held back, not read into memory").isLessThan(PROVIDER_BYTES / 2);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.gw().gateway().inFlight() == 0);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> MetricSamples.scrape(e2e.gw()).value("reliapi_buffered_bytes") == 0);
  }
}
