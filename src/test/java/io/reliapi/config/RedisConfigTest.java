package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code redis} block (issue 17): standalone, cluster or Sentinel; TLS files; a password from the environment. */
class RedisConfigTest {
  private static final String TARGETS = "targets: {api: {base_url: 'http://x'}}\n";
  private static final Map<String, String> ENV = Map.of("REDIS_PASSWORD", "env-secret");

  private static RedisConfig redis(String block) {
    return ConfigLoader.parse("redis: " + block + "\n" + TARGETS, ENV::get).redis().orElseThrow();
  }

  private static List<String> problems(String block) {
    try {
      ConfigLoader.parse("redis: " + block + "\n" + TARGETS, ENV::get);
      throw new AssertionError("expected problems with " + block);
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void aUrlAloneIsOneStandaloneRedisWithoutReplicaWaits() {
    RedisConfig config = redis("{url: 'redis://r:6379/0'}");
    assertThat(config.mode()).isEqualTo(RedisConfig.Mode.STANDALONE);
    assertThat(config.endpoints()).containsExactly("redis://r:6379/0");
    assertThat(config.replicaAck()).isEqualTo(RedisConfig.ReplicaAck.NONE);
    assertThat(config).isEqualTo(new RedisConfig("redis://r:6379/0", RedisConfig.OnUnavailable.FAIL_CLOSED, 1_000));
  }

  @Test
  void aClusterIsItsSeedNodesAndASentinelGroupItsSentinelsAndPrimarysName() {
    RedisConfig cluster = redis("{mode: cluster, nodes: ['redis://a:7000', 'redis://b:7001'], wait_replicas: 1}");
    assertThat(cluster.mode()).isEqualTo(RedisConfig.Mode.CLUSTER);
    assertThat(cluster.endpoints()).containsExactly("redis://a:7000", "redis://b:7001");
    assertThat(cluster.replicaAck()).isEqualTo(new RedisConfig.ReplicaAck(1, 50));

    RedisConfig sentinel = redis("{mode: sentinel, sentinels: ['redis://s1:26379'], master_name: main, "
        + "password_env: REDIS_PASSWORD, wait_timeout_ms: 200}");
    assertThat(sentinel.mode()).isEqualTo(RedisConfig.Mode.SENTINEL);
    assertThat(sentinel.masterName()).contains("main");
    assertThat(sentinel.password()).contains(new Secret("REDIS_PASSWORD", "env-secret"));
    assertThat(sentinel.replicaAck().timeoutMs()).isEqualTo(200);
  }

  @Test
  void eachModeNeedsItsOwnKeysAndRefusesTheOthers() {
    assertThat(problems("{on_unavailable: degrade}")).containsExactly(
        "redis.url: is required with redis.mode standalone (got nothing)");
    assertThat(problems("{mode: cluster, url: 'redis://a:1', nodes: []}")).containsExactlyInAnyOrder(
        "redis.nodes: needs at least one redis:// URL",
        "redis.url: only applies with redis.mode standalone");
    assertThat(problems("{mode: sentinel, sentinels: ['redis://s:1'], nodes: ['redis://a:1']}"))
        .containsExactlyInAnyOrder("redis.master_name: is required (got nothing)",
            "redis.nodes: only applies with redis.mode cluster");
    assertThat(problems("{mode: cluster, nodes: ['redis://a:1/2']}")).containsExactly(
        "redis.nodes: a Redis Cluster has only database 0 (got \"redis://a:1/2\")");
    assertThat(problems("{mode: ring, url: 'redis://a:1'}")).containsExactly(
        "redis.mode: must be one of standalone, cluster, sentinel (got \"ring\")");
  }

  @Test
  void urlsMustBeRedisUrlsOfOneSchemeAndProblemsNeverRepeatTheirPassword() {
    List<String> bad = problems("{mode: cluster, nodes: ['http://u:topsecret@a:1', 'redis://b:1?password=x', "
        + "'rediss://c:1', 'redis://d:1']}");
    assertThat(bad).containsExactlyInAnyOrder(
        "redis.nodes[0]: must start with redis:// or rediss:// (got \"http://u:***@a:1\")",
        "redis.nodes[1]: must not carry a query or fragment (give the password in the URL or in "
            + "redis.password_env) (got \"redis://b:1?***\")",
        "redis.nodes: every URL must use the same scheme, redis:// or rediss://");
    assertThat(String.join("\n", problems("{url: 'redis://:topsecret@/0'}"))).doesNotContain("topsecret")
        .contains("redis://:***@/0");
    assertThat(redis("{url: 'redis://u:topsecret@r:6379/0'}").toString()).doesNotContain("topsecret")
        .contains("redis://u:***@r:6379/0");
  }

  @Test
  void tlsFilesAreCheckedLikeATargetsCertificatesThatParseAndAUsableKeyOfTheCertificate() throws IOException {
    var certs = io.reliapi.testing.TestCertificates.create(Files.createTempDirectory("certs"));
    var others = io.reliapi.testing.TestCertificates.create(Files.createTempDirectory("others"));
    Path garbage = Files.writeString(Files.createTempFile("garbage", ".pem"), "pem");
    assertThat(redis("{url: 'rediss://r:6380', tls: {ca_file: '" + certs.caCert() + "', cert_file: '"
        + certs.clientCert() + "', key_file: '" + certs.clientKey() + "'}}").tls()).isPresent();
    assertThat(problems("{url: 'rediss://r:6380', tls: {ca_file: '" + garbage + "'}}")).containsExactly(
        "redis.tls.ca_file: must hold PEM certificates (-----BEGIN CERTIFICATE-----) (got \"" + garbage + "\")");
    assertThat(problems("{url: 'rediss://r:6380', tls: {cert_file: '" + certs.clientCert() + "', key_file: '"
        + others.clientKey() + "'}}")).containsExactly(
        "redis.tls.key_file: must be the key of cert_file's certificate (got \"" + others.clientKey() + "\")");
  }

  @Test
  void tlsFilesMustExistGoWithRedissUrlsAndCertificateAndKeyGoTogether() throws IOException {
    Path ca = io.reliapi.testing.TestCertificates.create(Files.createTempDirectory("certs")).caCert();
    RedisConfig config = redis("{url: 'rediss://r:6380', tls: {ca_file: '" + ca + "'}}");
    assertThat(config.tls()).contains(new TlsFiles(Optional.of(ca.toString()), Optional.empty(),
        Optional.empty()));
    assertThat(problems("{url: 'redis://r:6379', tls: {ca_file: '" + ca + "', cert_file: '" + ca + "'}}"))
        .containsExactlyInAnyOrder("redis.url: redis.tls needs rediss:// URLs (got \"redis://r:6379\")",
            "redis.tls: cert_file and key_file go together (a client certificate and its key)");
    assertThat(problems("{url: 'rediss://r:6380', tls: {ca_file: /no/such.crt, ca: x}}")).containsExactlyInAnyOrder(
        "redis.tls.ca_file: names a file that does not exist or cannot be read (got \"/no/such.crt\")",
        "redis.tls.ca: unknown key, did you mean \"ca_file\"?");
  }

  @Test
  void aPasswordEnvironmentVariableMustBeSetAndReplicaWaitsAreBounded() {
    assertThat(problems("{url: 'redis://r', password_env: UNSET_VAR, wait_replicas: 9, wait_timeout_ms: 0}"))
        .containsExactlyInAnyOrder(
            "redis.password_env: names an environment variable that is not set (got \"UNSET_VAR\")",
            "redis.wait_replicas: must be an integer from 0 to 5 (got 9)",
            "redis.wait_timeout_ms: must be an integer from 1 to 10000 (got 0)");
  }
}
