package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.reload.ReloadableGateway.Store;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestCertificates;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target's {@code tls} block is reloadable: a reload that adds the CA makes the target's new client trust it, and
 * one that takes it away goes back to the JVM's CAs.
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
}
