package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-test end-to-end fixture, driven through the callbacks JUnit calls (it reads no context). */
class PerTestGatewayExtensionTest {
  private final PerTestGatewayExtension extension = new PerTestGatewayExtension();

  @AfterEach
  void closeWhatATestLeftOpen() {
    extension.afterEach(null);
  }

  @Test
  void startsAFreshUpstreamBeforeEachTest() {
    extension.beforeEach(null);
    MockUpstream first = extension.up();
    extension.afterEach(null);

    extension.beforeEach(null);

    assertThat(extension.up()).isNotSameAs(first);
    awaitRefused(first.port());
  }

  @Test
  void handsTheTestTheGatewayItStartedLast() {
    extension.beforeEach(null);
    assertThatThrownBy(extension::gw).hasMessageContaining("started no gateway");

    GatewayHarness first = extension.start(gatewayInFrontOf(extension.up()));
    GatewayHarness second = extension.start(gatewayInFrontOf(extension.up()));

    assertThat(extension.gw()).isSameAs(second).isNotSameAs(first);
    extension.up().otherwise("GET /hello", Behavior.json(200, "{\"hello\":true}"));
    assertThat(first.http.get("/t/api/hello").body()).isEqualTo("{\"hello\":true}");
  }

  @Test
  void closesEveryGatewayTheTestStartedAndTheUpstreamAfterTheTest() {
    extension.beforeEach(null);
    int upstreamPort = extension.up().port();
    int first = extension.start(gatewayInFrontOf(extension.up())).port();
    int second = extension.start(gatewayInFrontOf(extension.up())).port();

    extension.afterEach(null);

    awaitRefused(first);
    awaitRefused(second);
    awaitRefused(upstreamPort);
    assertThatThrownBy(extension::up).hasMessageContaining("only during a test");
    assertThatThrownBy(extension::gw).hasMessageContaining("started no gateway");
  }

  private static GatewayHarness.Builder gatewayInFrontOf(MockUpstream up) {
    return GatewayHarness.yaml("targets: {api: {base_url: \"%s\"}}".formatted(up.baseUrl()));
  }

  static void awaitRefused(int port) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return false;
      } catch (IOException refused) {
        return true;
      }
    });
  }
}
