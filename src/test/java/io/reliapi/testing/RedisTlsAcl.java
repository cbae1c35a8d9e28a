package io.reliapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the nodes of a multi-node Redis fixture are locked down, as managed Redis in the cloud often is: TLS
 * only ({@code port 0}, {@code tls-port}), also between the nodes ({@code tls-replication}, and
 * {@code tls-cluster} in a cluster), the default user off, the gateway's ACL user with exactly the rights
 * operations-redis.md documents, and an {@code admin} user that the nodes use among themselves (replication,
 * Sentinels) and the test uses to look inside. Client certificates are optional ({@code tls-auth-clients
 * optional}): the gateway is configured with the CA only, as it would be for a cloud Redis.
 */
public record RedisTlsAcl(TestCertificates certificates, String userPassword, String adminPassword) {
  /** The gateway's user, named in its Redis URLs. */
  public static final String USER = "reliapi";
  /** The rights operations-redis.md documents for the gateway's user on a data node. */
  public static final String GATEWAY_RULE = "~reliapi:* &reliapi:* -@all +@read +@write +@scripting +@pubsub "
      + "+@connection +wait +cluster|slots -@dangerous";
  /**
   * The rights operations-redis.md documents for the gateway's user on a Sentinel: what the client library
   * asks a Sentinel (the primary's address, the other Sentinels, the replicas) and its subscription to
   * failover announcements.
   */
  public static final String SENTINEL_RULE = "-@all +@connection +sentinel|get-master-addr-by-name "
      + "+sentinel|sentinels +sentinel|slaves +sentinel|replicas +subscribe &+switch-master";
  private static final String ADMIN = "admin";

  /** Makes a CA and certificates in {@code dir}, and a password for each user. */
  public static RedisTlsAcl create(Path dir) {
    return new RedisTlsAcl(TestCertificates.create(dir), "gateway-Pa55-" + System.nanoTime(),
        "admin-Pa55-" + System.nanoTime());
  }

  /** Returns the config lines of a data node (primary or replica) whose TLS port is {@code port}. */
  public List<String> dataNodeLines(int port) {
    List<String> lines = common(port);
    lines.addAll(List.of("user " + USER + " on >" + userPassword + " " + GATEWAY_RULE,
        "masteruser " + ADMIN, "masterauth " + adminPassword));
    return lines;
  }

  /** Returns the config lines of a Sentinel on TLS port {@code port}, watching {@code master} as admin. */
  public List<String> sentinelLines(int port, String master) {
    List<String> lines = common(port);
    lines.addAll(List.of("user " + USER + " on >" + userPassword + " " + SENTINEL_RULE,
        "sentinel auth-user " + master + " " + ADMIN, "sentinel auth-pass " + master + " " + adminPassword,
        "sentinel sentinel-user " + ADMIN, "sentinel sentinel-pass " + adminPassword));
    return lines;
  }

  private List<String> common(int port) {
    return new ArrayList<>(List.of("port 0", "tls-port " + port, "tls-cert-file " + certificates.serverCert(),
        "tls-key-file " + certificates.serverKey(), "tls-ca-cert-file " + certificates.caCert(),
        "tls-auth-clients optional", "tls-replication yes", "user default off",
        "user " + ADMIN + " on >" + adminPassword + " ~* &* +@all"));
  }

  /** Returns {@code redis-cli}'s options for reaching a node as admin over TLS. */
  public List<String> cliOptions() {
    return List.of("--tls", "--cacert", certificates.caCert().toString(), "--user", ADMIN, "--pass", adminPassword,
        "--no-auth-warning");
  }

  /** Returns the gateway's URL of the node on {@code port}: TLS, its user, the password left to the env. */
  public static String url(int port) {
    return "rediss://" + USER + "@127.0.0.1:" + port;
  }

  /**
   * Returns {@code urls} (gateway URLs of {@link #url(int)}, as a YAML list) with the user's password in
   * each, for a gateway configured without {@code password_env}.
   */
  public String withPassword(String urls) {
    return urls.replace("rediss://" + USER + "@", "rediss://" + USER + ":" + userPassword + "@");
  }

  /**
   * Returns the URLs and TLS options of a gateway's {@code redis} block (the part after the mode key) for
   * {@code urls} (a YAML list of {@link RedisNode#url()}s) on Redis locked down by {@code security}, or
   * open when it is null.
   */
  public static String gatewayOptions(RedisTlsAcl security, String key, String urls) {
    return security == null ? key + ": " + urls : "%s: %s, tls: {ca_file: \"%s\"}".formatted(key,
        security.withPassword(urls), security.certificates().caCert());
  }

  /** Sends one command in Redis' inline form, as admin over TLS, and returns the raw reply. */
  public String command(int port, String inline) {
    try (SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(("AUTH " + ADMIN + " " + adminPassword + "\r\n" + inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      String auth = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
      if (!auth.equals("+OK\r\n")) {
        throw new IllegalStateException("admin was refused by the Redis on port " + port + ": " + auth.strip());
      }
      return RedisServer.reply(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("redis command failed: " + inline.split(" ")[0], e);
    }
  }

  private SSLContext context() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(certificates.caCert())) {
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
