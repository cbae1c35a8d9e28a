package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line (SPEC §1): exit 2 with one line per problem for bad configs, summaries for good ones. */
class MainTest {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main(env)).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("config-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void checkConfigPrintsASummaryAndExitsZeroForAValidFile() throws Exception {
    Path file = write("""
        targets:
          api: {base_url: "https://api.example.com", cache: {ttl_s: 60}, fallback_targets: [backup]}
          backup: {base_url: "https://backup.example.com"}
        """);
    Run run = run(Map.of(), "check-config", file.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("valid").contains("api").contains("cache 60s").contains("fallback -> backup")
        .contains("state: in-memory").contains("none (open gateway)");
  }

  @Test
  void checkConfigSaysWhichTargetsTalkTlsWithTheirOwnCaAndClientCertificate() throws Exception {
    var certs = io.reliapi.testing.TestCertificates.create(dir.resolve("certs"));
    Path file = write("targets:\n"
        + "  private: {base_url: 'https://localhost:8443', tls: {ca_file: '" + certs.caCert() + "', cert_file: '"
        + certs.clientCert() + "', key_file: '" + certs.clientKey() + "'}}\n"
        + "  public: {base_url: 'https://api.example.com'}\n");
    Run run = run(Map.of(), "check-config", file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("private timeout 30000 ms").contains("TLS own CA + client certificate")
        .doesNotContain("PRIVATE KEY");
    assertThat(run.out().lines().filter(l -> l.contains("public")).findFirst().orElseThrow()).doesNotContain("TLS");
  }

  @Test
  void checkConfigSaysTheListenerIsHttpsAndWhetherClientCertificatesAreRequired() throws Exception {
    var certs = io.reliapi.testing.TestCertificates.create(dir.resolve("certs"));
    String tls = "cert_file: '" + certs.serverCert() + "', key_file: '" + certs.serverKey() + "'";
    Run mtls = run(Map.of(), "check-config", write("server: {tls: {" + tls + ", client_ca_file: '" + certs.caCert()
        + "', client_auth: require}}\ntargets: {api: {base_url: 'http://127.0.0.1:9'}}\n").toString());
    assertThat(mtls.code()).as(mtls.err()).isZero();
    assertThat(mtls.out()).contains("listener: HTTPS (TLS 1.2/1.3, HTTP/1.1) with " + certs.serverCert()
        + ", client certificates required, signed by " + certs.caCert()).doesNotContain("PRIVATE KEY");
    Run https = run(Map.of(), "check-config", write("server: {tls: {" + tls + "}}\n"
        + "targets: {api: {base_url: 'http://127.0.0.1:9'}}\n").toString());
    assertThat(https.out()).contains("listener: HTTPS").contains("no client certificates");
    Run plain = run(Map.of(), "check-config", write("targets: {api: {base_url: 'http://127.0.0.1:9'}}\n").toString());
    assertThat(plain.out()).contains("listener: plain HTTP/1.1 (no TLS)");
  }

  @Test
  void refusesToStartWithAListenerKeyThatIsNotItsCertificatesNamingTheKeyPathOnly() throws Exception {
    var certs = io.reliapi.testing.TestCertificates.create(dir.resolve("certs"));
    Path file = write("server: {tls: {cert_file: '" + certs.serverCert() + "', key_file: '" + certs.clientKey() + "'}}\n"
        + "targets: {api: {base_url: 'http://127.0.0.1:9'}}\n");
    Run run = run(Map.of(), "--config", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("server.tls.key_file: must be the key of cert_file's certificate")
        .doesNotContain("PRIVATE KEY").doesNotContain(Files.readString(certs.clientKey()).lines()
            .skip(1).findFirst().orElseThrow());
  }

  @Test
  void checkConfigAcceptsTheRedisExamples() {
    Run run = run(Map.of(), "check-config", "examples/redis.yaml");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("state: redis (fail_closed)");
    Run cluster = run(Map.of(), "check-config", "examples/redis-cluster.yaml");
    assertThat(cluster.code()).isZero();
    assertThat(cluster.out()).contains("state: redis cluster, 6 seed node(s) (fail_closed)");
  }

  @Test
  void checkConfigSummarisesTheOperatorSide() {
    Run run = run(Map.of("ADMIN_KEYS", "a,b"), "check-config", "examples/operations.yaml");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("admin API and /ui: on, 2 key(s) from $ADMIN_KEYS; trail of the last 1000 requests")
        .contains("config reload: when the file changes (also SIGHUP)").doesNotContain("a,b");
  }

  @Test
  void checkConfigAcceptsEveryShippedExample() throws Exception {
    Map<String, String> secrets = Map.of("API_KEY", "k1", "OPENAI_API_KEY", "k2", "ANTHROPIC_API_KEY", "k3",
        "BACKEND_KEY", "k4", "BATCH_KEY", "k5", "PAYMENTS_TOKEN", "k6", "ADMIN_KEYS", "k7,k8",
        "OPENAI_API_KEY_2", "k9", "AZURE_OPENAI_KEY", "k10");
    try (var files = Files.list(Path.of("examples"))) {
      var examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
      for (Path example : examples) {
        Run run = run(secrets, "check-config", example.toString());
        assertThat(run.code()).as(example + ": " + run.err()).isZero();
        assertThat(run.out()).contains(example + ": valid");
      }
    }
  }

  @Test
  void checkConfigExitsTwoWithOneLinePerProblem() throws Exception {
    Path file = write("targets: {api: {base_url: 'nope', timeout: 5}}");
    Run run = run(Map.of(), "check-config", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip().split("\n")).containsExactlyInAnyOrder(
        "targets.api.base_url: must be an absolute http:// or https:// URL with a host (got \"nope\")",
        "targets.api.timeout: unknown key, did you mean \"timeout_ms\"?");
  }

  @Test
  void checkConfigReportsAMissingFile() {
    Run run = run(Map.of(), "check-config", dir.resolve("missing.yaml").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("file not found");
  }

  @Test
  void refusesToStartOnABadConfigWithExitCodeTwo() throws Exception {
    Path file = write("targets: {api: {base_url: 'http://x', auth: {type: bearer_env, env_var: UNSET_VAR_X}}}");
    Run run = run(Map.of(), "--config", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("targets.api.auth.env_var: names an environment variable that is not set");
  }

  @Test
  void readsTheConfigPathFromTheEnvironmentAndValidatesOverrides() throws Exception {
    Path file = write("targets: {api: {base_url: 'http://x'}}");
    Run badPort = run(Map.of("RELIAPI_CONFIG", file.toString(), "RELIAPI_PORT", "http"));
    assertThat(badPort.code()).isEqualTo(2);
    assertThat(badPort.err()).contains("--port: must be an integer from 0 to 65535 (got \"http\")");
    Run badRedis = run(Map.of("RELIAPI_CONFIG", file.toString()), "--redis-url", "http://redis");
    assertThat(badRedis.code()).isEqualTo(2);
    assertThat(run(Map.of()).code()).isEqualTo(2);
    assertThat(run(Map.of(), "--config", file.toString(), "--log-level", "loud").code()).isEqualTo(2);
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
    var file = io.reliapi.config.ConfigLoader.parse(
        "server: {host: 0.0.0.0, port: 7000}\ntargets: {api: {base_url: 'http://x'}}", n -> null);
    var fromEnv = Overrides.apply(file, null, null, null, Map.of("RELIAPI_HOST", "10.0.0.1", "RELIAPI_PORT", "7001",
        "REDIS_URL", "redis://r:6379/0"));
    assertThat(fromEnv.server().host()).isEqualTo("10.0.0.1");
    assertThat(fromEnv.server().port()).isEqualTo(7001);
    assertThat(fromEnv.redis().orElseThrow().url()).isEqualTo("redis://r:6379/0");
    var fromFlags = Overrides.apply(file, "127.0.0.2", 7002, "redis://flag:6379", Map.of("RELIAPI_PORT", "7001"));
    assertThat(fromFlags.server().host()).isEqualTo("127.0.0.2");
    assertThat(fromFlags.server().port()).isEqualTo(7002);
    assertThat(fromFlags.redis().orElseThrow().url()).isEqualTo("redis://flag:6379");
    var fromFile = Overrides.apply(file, null, null, null, Map.of());
    assertThat(fromFile.server().port()).isEqualTo(7000);
    assertThat(fromFile.redis()).isEmpty();
  }

  @Test
  void aRedisUrlOverrideNeverRepeatsItsPasswordAndCannotReplaceAClusterBlock() {
    var cluster = io.reliapi.config.ConfigLoader.parse("redis: {mode: cluster, nodes: ['redis://a:7000']}\n"
        + "targets: {api: {base_url: 'http://x'}}", n -> null);
    assertThatThrownBy(() -> Overrides.apply(cluster, null, null, "redis://b:7000", Map.of()))
        .isInstanceOfSatisfying(io.reliapi.config.ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "--redis-url: applies to redis.mode standalone only (the file sets redis.mode cluster)"));
    var plain = io.reliapi.config.ConfigLoader.parse("targets: {api: {base_url: 'http://x'}}", n -> null);
    assertThatThrownBy(() -> Overrides.apply(plain, null, null, null, Map.of("REDIS_URL", "http://u:hunter2@r")))
        .isInstanceOfSatisfying(io.reliapi.config.ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "--redis-url: must start with redis:// or rediss:// (got http://u:***@r)"));
  }

  @Test
  void printsHelpAndVersion() {
    Run help = run(Map.of(), "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--config", "--host", "--port", "--redis-url", "--log-level", "check-config");
    Run version = run(Map.of(), "--version");
    assertThat(version.out()).startsWith("reliapi ");
  }
}
