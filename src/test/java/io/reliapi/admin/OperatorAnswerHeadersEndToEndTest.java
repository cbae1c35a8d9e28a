package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer of the operator's surface says what it is and forbids a browser to guess otherwise (so none can be
 * loaded as a script or shown as a page by another site), and the status page refuses to be framed.
 */
class OperatorAnswerHeadersEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private static void typed(Res res, int status, String type) {
    assertThat(res.status()).isEqualTo(status);
    assertThat(res.header("Content-Type")).startsWith(type);
    assertThat(res.header("X-Content-Type-Options")).as(res.body()).isEqualTo("nosniff");
  }

  @Test
  void adminAndOpsAnswersAreNosniffAndThePageCannotBeFramed() {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        server: {ops_key_env: OPS_KEY}
        targets: {api: {base_url: "%s"}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a").env("OPS_KEY", "ops-1"));
    var http = e2e.gw().http;
    typed(http.get("/admin/targets", "X-API-Key", "admin-a"), 200, "application/json");
    typed(http.get("/admin/requests?limit=1", "X-API-Key", "admin-a"), 200, "application/json");
    typed(http.get("/admin/nothing", "X-API-Key", "admin-a"), 404, "application/json");
    typed(http.get("/admin/targets"), 401, "application/json");
    typed(http.get("/healthz"), 200, "application/json");
    typed(http.get("/readyz"), 401, "application/json");
    typed(http.get("/readyz", "X-API-Key", "ops-1"), 200, "application/json");
    typed(http.get("/metrics", "Authorization", "Bearer ops-1"), 200, "text/plain");
    typed(http.get("/nowhere"), 404, "application/json");

    String session = http.get("/ui?key=admin-a").header("Set-Cookie").split(";")[0];
    Res[] pages = {http.get("/ui"), http.get("/ui", "Cookie", session), http.get("/ui/app.js", "Cookie", session)};
    for (Res page : pages) {
      assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }
  }
}
