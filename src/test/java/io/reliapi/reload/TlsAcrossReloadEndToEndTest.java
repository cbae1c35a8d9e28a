package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A target's {@code tls} block is reloadable: a reload that adds the CA makes the target's new client trust it, one
 * that takes it away goes back to the JVM's CAs, and a reload reads the files again even when the config's text is
 * the same (certificates rotated in place).
 */
class TlsAcrossReloadEndToEndTest extends AcrossReload {
  @Test
  void aReloadThatAddsOrRemovesTheCaFileChangesWhatTheTargetTrusts() {
    TestCertificates certs = TestCertificates.create(dir.resolve("ca"));
    try (MockUpstream secure = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null)) {
      secure.otherwise("GET /x", Behavior.json(200, "{\"ok\":true}"));
      String plain = "targets:\n  api:\n    base_url: \"" + secure.url("localhost") + "\"\n"
          + "    retry_matrix: {net: {attempts: 1}}\n    circuit: {enabled: false}\n";
      String trusting = plain + "    tls: {ca_file: \"" + certs.caCert() + "\"}\n";
      gw = ReloadableGateway.start(dir, Store.MEMORY, plain, Map.of());
      assertThat(gw.http.get("/t/api/x").body()).contains("NETWORK_ERROR");

      gw.reload(trusting);
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);

      gw.reload(plain);
      assertThat(gw.http.get("/t/api/x").body()).contains("NETWORK_ERROR");
      assertThat(secure.count("/x")).isEqualTo(1);
    }
  }

  @Test
  void aCaFileReplacedInPlaceIsReadAgainByAReloadOfTheSameConfigText() throws Exception {
    TestCertificates first = TestCertificates.create(dir.resolve("first"));
    TestCertificates second = TestCertificates.create(dir.resolve("second"));
    Path ca = dir.resolve("ca.pem");
    Files.copy(first.caCert(), ca);
    try (MockUpstream secure = MockUpstream.startTls(first.serverCert(), first.serverKey(), null)) {
      secure.otherwise("GET /x", Behavior.json(200, "{\"ok\":true}"));
      String config = "targets:\n  api:\n    base_url: \"" + secure.url("localhost") + "\"\n"
          + "    retry_matrix: {net: {attempts: 1}}\n    circuit: {enabled: false}\n"
          + "    tls: {ca_file: \"" + ca + "\"}\n";
      gw = ReloadableGateway.start(dir, Store.MEMORY, config, Map.of());
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);

      // The upstream and the CA file rotate to a new authority; the config file's text stays the same.
      secure.showCertificate(second.serverCert(), second.serverKey());
      Files.copy(second.caCert(), ca, StandardCopyOption.REPLACE_EXISTING);
      gw.reload(config);
      assertThat(gw.http.get("/t/api/x").status()).isEqualTo(200);

      assertThat(gw.gw.gateway().reload("admin").await(20, TimeUnit.SECONDS).result())
          .as("nothing changed since").isEqualTo("unchanged");
    }
  }
}
