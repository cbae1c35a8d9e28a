package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The class-wide end-to-end fixture, driven through the callbacks JUnit calls (the extension reads no context). */
class GatewayExtensionTest {
  private GatewayExtension extension;

  @AfterEach
  void closeWhatATestLeftOpen() {
    if (extension != null) {
      extension.afterAll(null);
    }
  }

  @Test
  void startsTheGatewayConfiguredFromTheUpstreamItStartedFirst() {
    extension = GatewayExtension.gateway(up -> GatewayHarness.yaml("targets: {api: {base_url: \"%s\"}}"
        .formatted(up.baseUrl())));
    extension.beforeAll(null);

    up().otherwise("GET /hello", Behavior.json(200, "{\"hello\":true}"));

    assertThat(extension.gw().http.get("/t/api/hello").body()).isEqualTo("{\"hello\":true}");
    assertThat(up().count("/hello")).isEqualTo(1);
  }

  @Test
  void resetsTheUpstreamsScriptsAndCountsBeforeEachTest() {
    extension = GatewayExtension.gateway(up -> GatewayHarness.yaml("targets: {api: {base_url: \"%s\"}}"
        .formatted(up.baseUrl())));
    extension.beforeAll(null);
    up().otherwise("GET /hello", Behavior.status(503));
    extension.gw().http.get("/t/api/hello");

    extension.beforeEach(null);

    assertThat(up().count("/hello")).isZero();
    assertThat(up().requests()).isEmpty();
    assertThat(extension.gw().http.get("/t/api/hello").status()).isEqualTo(200);
  }

  @Test
  void closesTheGatewayAndTheUpstreamAfterTheClass() {
    extension = GatewayExtension.gateway(up -> GatewayHarness.yaml("targets: {api: {base_url: \"%s\"}}"
        .formatted(up.baseUrl())));
    extension.beforeAll(null);
    int gatewayPort = extension.gw().port();
    int upstreamPort = up().port();

    extension.afterAll(null);

    PerTestGatewayExtensionTest.awaitRefused(gatewayPort);
    PerTestGatewayExtensionTest.awaitRefused(upstreamPort);
    assertThatThrownBy(extension::gw).hasMessageContaining("not running");
    extension = null;
  }

  @Test
  void closesTheUpstreamItStartedWhenTheGatewayDoesNotStart() {
    AtomicReference<MockUpstream> started = new AtomicReference<>();
    extension = GatewayExtension.gateway(up -> {
      started.set(up);
      return GatewayHarness.yaml("targets: {api: {base_url: \"%s\", no_such_key: 1}}".formatted(up.baseUrl()));
    });

    assertThatThrownBy(() -> extension.beforeAll(null)).hasMessageContaining("no_such_key");

    PerTestGatewayExtensionTest.awaitRefused(started.get().port());
    assertThatThrownBy(extension::up).hasMessageContaining("no upstream up started");
  }

  @Test
  void givesEachOfSeveralUpstreamsItsName() {
    extension = GatewayExtension.gateway(List.of("primary", "backup"), ups -> GatewayHarness.yaml("""
        targets:
          primary: {base_url: "%s"}
          backup: {base_url: "%s"}
        """.formatted(ups.get("primary").baseUrl(), ups.get("backup").baseUrl())));
    extension.beforeAll(null);

    extension.gw().http.get("/t/backup/b");
    extension.gw().http.get("/t/primary/p");

    assertThat(extension.up("backup").requests()).extracting(MockUpstream.Recorded::path).containsExactly("/b");
    assertThat(extension.up("primary").requests()).extracting(MockUpstream.Recorded::path).containsExactly("/p");
    assertThatThrownBy(extension::up).hasMessageContaining("up(name)");
  }

  @Test
  void startsAndStopsOnceWhenANestedClassRunsTheClassCallbacksAgain() {
    extension = GatewayExtension.gateway(up -> GatewayHarness.yaml("targets: {api: {base_url: \"%s\"}}"
        .formatted(up.baseUrl())));
    extension.beforeAll(null);
    GatewayHarness outer = extension.gw();

    extension.beforeAll(null);
    assertThat(extension.gw()).isSameAs(outer);
    extension.afterAll(null);

    assertThat(extension.gw().http.get("/t/api/still").status()).isEqualTo(200);
  }

  private MockUpstream up() {
    return extension.up();
  }
}
