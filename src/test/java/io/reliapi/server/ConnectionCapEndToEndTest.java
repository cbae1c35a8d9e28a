package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.RawConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** server.max_connections on real sockets: the connection past the cap is closed at once, the others keep going. */
class ConnectionCapEndToEndTest {
  static final int CAP = 3;
  static final String PING = "GET /t/api/ping HTTP/1.1\r\nHost: x\r\n\r\n";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  final List<RawConnection> open = new ArrayList<>();

  @BeforeEach
  void start() {
    e2e.up().otherwise("GET /ping", Behavior.json(200, "{\"pong\":true}"));
    e2e.start(GatewayHarness.yaml("""
        server: {port: 0, max_connections: %d}
        targets:
          api: {base_url: "%s"}
        """.formatted(CAP, e2e.up().baseUrl())));
  }

  @AfterEach
  void stop() {
    open.forEach(RawConnection::close);
  }

  @Test
  void closesTheConnectionPastTheCapAtOnceAndAcceptsOneAgainWhenAnotherCloses() {
    for (int i = 0; i < CAP; i++) {
      RawConnection c = connect();
      assertThat(c.write(PING).readAnswer().status()).isEqualTo(200);
    }
    RawConnection refused = connect();
    refused.write(PING);
    assertThat(refused.closedByServer()).as("the connection past the cap is closed").isTrue();
    assertThat(e2e.up().count("/ping")).as("its request went nowhere").isEqualTo(CAP);
    for (int i = 0; i < CAP; i++) {
      assertThat(open.get(i).write(PING).readAnswer().status()).as("open connections are unaffected").isEqualTo(200);
    }

    open.get(0).close();
    // The gateway counts the close when its event loop sees it; until then a new connection may still be refused.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      RawConnection again = connect();
      assertThat(again.write(PING).readAnswer().status()).isEqualTo(200);
    });

    open.forEach(RawConnection::close);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      MetricSamples metrics = MetricSamples.scrape(e2e.gw());
      assertThat(metrics.value("reliapi_connections_refused_total")).isGreaterThanOrEqualTo(1);
      assertThat(metrics.value("reliapi_client_connections")).isBetween(1.0, 2.0);
    });
  }

  private RawConnection connect() {
    RawConnection c = RawConnection.open(e2e.gw().port(), 5_000);
    open.add(c);
    return c;
  }
}
