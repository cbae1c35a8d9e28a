package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.admin.ReloadOutcome;
import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TlsClient;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Certificates of the HTTPS listener rotated in place (cert-manager, certbot): a reload of the same config text reads
 * the files again, new connections get the new certificate, a connection open keeps its own and its stream in flight
 * finishes; a bad new key fails the reload and the running certificate stays; HTTPS off is restart-only.
 */
class ServerTlsAcrossReloadEndToEndTest extends AcrossReload {
  @Test
  void aReloadServesTheRotatedCertificateToNewConnectionsWhileAStreamInFlightFinishes() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
    TestCertificates.Issued rotated = certs.serverNaming("rotated", "IP:127.0.0.1,DNS:localhost");
    TestCertificates stranger = TestCertificates.create(dir.resolve("stranger"));
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.copy(certs.serverCert(), cert);
    Files.copy(certs.serverKey(), key);
    String config = "server: {tls: {cert_file: \"" + cert + "\", key_file: \"" + key + "\"}}\n"
        + "targets:\n  api: {base_url: \"" + up.baseUrl() + "\"}\n";
    gw = ReloadableGateway.start(dir, Store.MEMORY, config, Map.of());
    TlsClient trusting = TlsClient.trusting(certs.caCert());

    List<String> chunks = Collections.nCopies(8, "data: x\n\n");
    up.script("GET /slow", Behavior.chunks(Map.of("Content-Type", "text/event-stream"), chunks, 250));
    CompletableFuture<HttpResponse<String>> inFlight = trusting.http().sendAsync(
        HttpRequest.newBuilder(URI.create(url("/t/api/slow"))).build(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> up.count("/slow") == 1);

    Files.copy(rotated.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(rotated.key(), key, StandardCopyOption.REPLACE_EXISTING);
    assertThat(reload().result()).as("same text, new files").isEqualTo("reloaded");
    assertThat(servedSerial(trusting)).as("a new connection gets the new certificate").isEqualTo(serial(rotated.cert()));

    HttpResponse<String> streamed = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(streamed.body()).as("the stream in flight finished whole").isEqualTo(String.join("", chunks));
    assertThat(peerSerial(streamed)).as("on the certificate it started with").isEqualTo(serial(certs.serverCert()));

    Files.copy(stranger.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
    ReloadOutcome badKey = reload();
    assertThat(badKey.result()).isEqualTo("refused");
    assertThat(badKey.problems()).singleElement().asString()
        .startsWith("server.tls.key_file: must be the key of cert_file's certificate");
    assertThat(servedSerial(trusting)).as("the running certificate stays").isEqualTo(serial(rotated.cert()));

    Files.copy(rotated.key(), key, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("config.yaml"), "targets:\n  api: {base_url: \"" + up.baseUrl() + "\"}\n");
    ReloadOutcome plain = reload();
    assertThat(plain.result()).isEqualTo("refused");
    assertThat(plain.problems()).containsExactly(
        "server.tls: cannot change without a restart (running https, the file says http)");
    assertThat(servedSerial(trusting)).isEqualTo(serial(rotated.cert()));
  }

  @Test
  void aNewClientCaAndClientAuthAreTakenUpByAReload() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
    Path bundle = certs.pkcs12(certs.clientCert(), certs.clientKey(), "client.p12");
    String tls = "cert_file: \"" + certs.serverCert() + "\", key_file: \"" + certs.serverKey() + "\"";
    String target = "targets:\n  api: {base_url: \"" + up.baseUrl() + "\"}\n";
    gw = ReloadableGateway.start(dir, Store.MEMORY, "server: {tls: {" + tls + "}}\n" + target, Map.of());
    TlsClient anonymous = TlsClient.trusting(certs.caCert());
    assertThat(anonymous.to(gw.gw.port()).get("/healthz").status()).isEqualTo(200);

    gw.reload("server: {tls: {" + tls + ", client_ca_file: \"" + certs.caCert() + "\", client_auth: require}}\n"
        + target);
    assertThat(TlsClient.create(certs.caCert(), bundle).to(gw.gw.port()).get("/healthz").status()).isEqualTo(200);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> anonymous.to(gw.gw.port()).get("/healthz")))
        .as("a new connection without a certificate is refused now").isNotNull();
  }

  private String url(String path) {
    return "https://127.0.0.1:" + gw.gw.port() + path;
  }

  private ReloadOutcome reload() throws Exception {
    return gw.gw.gateway().reload("admin").await(20, TimeUnit.SECONDS);
  }

  /** The serial number of the certificate the listener shows a new connection. */
  private BigInteger servedSerial(TlsClient client) throws Exception {
    HttpResponse<String> response = client.http().send(HttpRequest.newBuilder(URI.create(url("/healthz"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return peerSerial(response);
  }

  private static BigInteger peerSerial(HttpResponse<?> response) throws Exception {
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }

  private static BigInteger serial(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(e);
    }
  }
}
