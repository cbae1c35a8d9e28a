package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a page of another origin on the same site (another port of the host, a sibling subdomain: SameSite=Strict
 * sends the session cookie along) can make a signed-in operator's browser do: no admin action.
 */
class SessionWritesEndToEndTest {
  private static final String OPEN = "{\"state\": \"open\", \"pad\": \"=\"}";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private String breakerState(String session) {
    return e2e.gw().http.get("/admin/targets", "Cookie", session).json().get("targets").get(0).get("breaker")
        .get("state").asText();
  }

  @Test
  void theSessionCookieActsOnlyForTheStatusPagesOwnJsonRequests() {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        targets:
          api: {base_url: "%s", circuit: {error_threshold: 3, cooldown_s: 30}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a"));
    String session = e2e.gw().http.get("/ui?key=admin-a").header("Set-Cookie").split(";")[0];
    var http = e2e.gw().http;
    try (LogCapture logs = LogCapture.capture()) {
      // <form enctype="text/plain"> with a field named {"state": "open", "pad": " and the value ": a JSON body.
      Res form = http.post("/admin/targets/api/breaker", OPEN, "Cookie", session, "Content-Type", "text/plain",
          "Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site");
      assertThat(form.status()).isEqualTo(403);
      assertThat(form.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
      assertThat(http.post("/admin/reload", "", "Cookie", session, "Content-Type",
          "application/x-www-form-urlencoded").status()).isEqualTo(403);
      assertThat(http.post("/admin/targets/api/breaker", OPEN, "Cookie", session).status())
          .as("no content type").isEqualTo(403);
      // Even with the JSON type (which another origin could send only if a CORS preflight were granted).
      assertThat(http.post("/admin/targets/api/breaker", OPEN, "Cookie", session, "Content-Type", "application/json",
          "Sec-Fetch-Site", "same-site").status()).isEqualTo(403);
      assertThat(breakerState(session)).isEqualTo("closed");
      Awaitility.await().until(() -> logs.all().contains("\"action\":\"session_write_refused\""));
    }

    // The status page's own request, and a script's with the key in a header (no browser adds that for another page).
    Res page = http.post("/admin/targets/api/breaker", OPEN, "Cookie", session,
        "Content-Type", "application/json; charset=utf-8", "Sec-Fetch-Site", "same-origin");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(breakerState(session)).isEqualTo("open");
    assertThat(http.post("/admin/targets/api/breaker", "{\"state\": \"closed\"}", "X-API-Key", "admin-a").status())
        .isEqualTo(200);
    assertThat(http.post("/admin/reload", "", "X-API-Key", "admin-a").status()).isEqualTo(200);
  }
}
