package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.RawConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that uploads a large body slowly through {@code /t/} makes its attempt long, but that time is the
 * client's, not the upstream's: it must not count as a slow call, or a few slow uploaders open the breaker of a
 * healthy upstream for every client. The gateway's clock is a manual one moved while the uploads are half sent.
 */
class SlowUploadsEndToEndTest {
  /** Above the size {@code /t/} streams instead of reading into memory. */
  private static final int BODY_BYTES = 2 << 20;
  private final ManualClock clock = new ManualClock();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
            circuit:
              error_threshold: 100
              cooldown_s: 60
              slow_call_ms: 1000
              slow_call_rate_percent: 50
              window: {type: count, size: 2, min_calls: 2}
        """.formatted(e2e.up().baseUrl())).clock(clock, ManualScheduler.manual(clock)));
  }

  @Test
  void slowUploadsToAHealthyUpstreamAreNoSlowCallsOfIt() {
    byte[] half = new byte[BODY_BYTES / 2];
    Arrays.fill(half, (byte) 'x');
    List<RawConnection> uploads = List.of(RawConnection.open(e2e.gw().port(), 20_000),
        RawConnection.open(e2e.gw().port(), 20_000));
    try {
      for (RawConnection upload : uploads) {
        upload.write("POST /t/api/upload HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + BODY_BYTES + "\r\n\r\n").write(half);
      }
      // Both attempts are under way (each has its upstream connection) while their clients are still sending.
      await().until(() -> e2e.up().openConnections() == 2);
      clock.advance(Duration.ofSeconds(3));
      for (RawConnection upload : uploads) {
        upload.write(half);
      }
      for (RawConnection upload : uploads) {
        assertThat(upload.readAnswer().status()).isEqualTo(200);
      }
    } finally {
      uploads.forEach(RawConnection::close);
    }

    assertThat(e2e.gw().http.get("/t/api/after").status()).as("the breaker stayed closed").isEqualTo(200);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_circuit_transitions_total", "target", "api")).isZero();
  }
}
