package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys that open the gateway: the RELIAPI_API_KEY client beside configured ones, and the ops key. */
class AccessConfigTest {
  private static final String TWO_CLIENTS = """
      clients:
        - {name: backend, key_env: BACKEND_KEY}
        - {name: default, key_env: OTHER_KEY}
      targets: {a: {base_url: 'http://x'}}
      """;

  @Test
  void refusesAnApiKeyClientThatSharesAKeyOrANameWithAConfiguredOne() {
    Map<String, String> env = Map.of("BACKEND_KEY", "shared-secret", "OTHER_KEY", "other-secret",
        "RELIAPI_API_KEY", "shared-secret");
    assertThatThrownBy(() -> ConfigLoader.parse(TWO_CLIENTS, env::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactlyInAnyOrder(
              "clients[0].key_env: holds the same key as RELIAPI_API_KEY; every client needs its own key (got \"BACKEND_KEY\")",
              "clients[1].name: is the name of the client RELIAPI_API_KEY adds; choose another name (got \"default\")");
          assertThat(String.join("\n", e.problems())).doesNotContain("shared-secret");
        });
  }

  @Test
  void addsAnApiKeyClientWithItsOwnKeyAndName() {
    GatewayConfig config = ConfigLoader.parse("""
        clients:
          - {name: backend, key_env: BACKEND_KEY}
        targets: {a: {base_url: 'http://x'}}
        """, Map.of("BACKEND_KEY", "b", "RELIAPI_API_KEY", "k")::get);
    assertThat(config.clients()).extracting(ClientConfig::name).containsExactly("backend", "default");
  }

  @Test
  void refusesAKeyNoRequestCanPresentAsItIs() {
    String twoClients = """
        clients:
          - {name: alpha, key_env: ALPHA_KEY}
          - {name: beta, key_env: BETA_KEY}
        server: {ops_key_env: OPS}
        admin: {keys_env: ADMINS}
        targets: {a: {base_url: 'http://x'}}
        """;
    // "alpha " is presented as "alpha" (a header's value loses its surrounding whitespace): read as "alpha", it is
    // alpha's key, so beta's holder would be alpha.
    Map<String, String> env = Map.of("ALPHA_KEY", "alpha", "BETA_KEY", "alpha ", "OPS", "ops",
        "ADMINS", "admin-one, admin-clé", "RELIAPI_API_KEY", "single");
    assertThatThrownBy(() -> ConfigLoader.parse(twoClients, env::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactlyInAnyOrder(
              "clients[1].key_env: holds the same key as clients[0]; every client needs its own key (got \"BETA_KEY\")",
              "admin.keys_env: holds a key with a control character or a character beyond ASCII, which no request can "
                  + "present alike; use printable ASCII (got \"ADMINS\")");
          assertThat(String.join("\n", e.problems())).doesNotContain("alpha ", "clé", "single");
        });
    Map<String, String> control = Map.of("ALPHA_KEY", "al\u0001pha", "BETA_KEY", "beta with spaces\tand a tab",
        "OPS", "ops", "ADMINS", "admin");
    assertThatThrownBy(() -> ConfigLoader.parse(twoClients, control::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "clients[0].key_env: holds a key with a control character or a character beyond ASCII, which no request can "
                + "present alike; use printable ASCII (got \"ALPHA_KEY\")"));
  }

  @Test
  void keysFromTheEnvironmentLoseWhitespaceAtTheirEndsAsAPresentedKeyDoes() {
    // Kubernetes secrets made --from-file end in the file's newline.
    GatewayConfig config = ConfigLoader.parse("""
        clients:
          - {name: alpha, key_env: ALPHA_KEY}
        server: {ops_key_env: OPS}
        admin: {keys_env: ADMINS}
        targets: {a: {base_url: 'http://x'}}
        """, Map.of("ALPHA_KEY", "alpha-key\n", "OPS", " ops-key\r\n", "ADMINS", "admin-one ,\tadmin-two\n",
        "RELIAPI_API_KEY", "\tsingle\n")::get);

    assertThat(config.clients()).extracting(client -> client.key().value()).containsExactly("alpha-key", "single");
    assertThat(config.server().opsKey()).hasValueSatisfying(key -> assertThat(key.value()).isEqualTo("ops-key"));
    assertThat(config.admin().keys()).extracting(Secret::value).containsExactly("admin-one", "admin-two");
  }

  @Test
  void refusesAnApiKeyOfWhitespaceOnlyRatherThanRunningOpen() {
    assertThatThrownBy(() -> ConfigLoader.parse("targets: {a: {base_url: 'http://x'}}",
        Map.of("RELIAPI_API_KEY", " \n")::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "RELIAPI_API_KEY: is set but holds only whitespace; set a key, or unset it to add no client"));
    assertThat(ConfigLoader.parse("targets: {a: {base_url: 'http://x'}}", Map.of("RELIAPI_API_KEY", "")::get)
        .clients()).isEmpty();
  }

  @Test
  void readsTheOpsKeyFromTheVariableItNames() {
    GatewayConfig config = ConfigLoader.parse("server: {ops_key_env: OPS}\ntargets: {a: {base_url: 'http://x'}}",
        Map.of("OPS", "ops-secret")::get);
    assertThat(config.server().opsKey()).hasValueSatisfying(key -> assertThat(key.value()).isEqualTo("ops-secret"));
    assertThat(ConfigLoader.parse("targets: {a: {base_url: 'http://x'}}", n -> null).server().opsKey()).isEmpty();
  }

  @Test
  void refusesAnOpsKeyVariableThatIsNotSet() {
    assertThatThrownBy(() -> ConfigLoader.parse("server: {ops_key_env: OPS}\ntargets: {a: {base_url: 'http://x'}}",
        n -> null)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
        "server.ops_key_env: names an environment variable that is not set (got \"OPS\")"));
  }

  @Test
  void saysAKeyVariableOfWhitespaceOnlyIsEmptyRatherThanNotSet() {
    assertThatThrownBy(() -> ConfigLoader.parse("server: {ops_key_env: OPS}\ntargets: {a: {base_url: 'http://x'}}",
        Map.of("OPS", " \n")::get)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
        .containsExactly("server.ops_key_env: names an environment variable that is empty (got \"OPS\")"));
  }

  @Test
  void boundsTheBodyTimeout() {
    assertThat(ConfigLoader.parse("targets: {a: {base_url: 'http://x'}}", n -> null).server().bodyTimeoutMs())
        .isEqualTo(30_000);
    assertThatThrownBy(() -> ConfigLoader.parse("server: {body_timeout_ms: 0}\ntargets: {a: {base_url: 'http://x'}}",
        n -> null)).isInstanceOf(ConfigException.class);
  }
}
