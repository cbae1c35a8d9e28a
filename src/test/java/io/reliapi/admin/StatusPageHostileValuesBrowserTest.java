package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.StatusPageBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The status page in a real headless Chromium, fed what a hostile client or a careless operator can put before it:
 * markup in a request id and in a refused reload's problems is shown as text and never runs; the page's own buttons
 * still act (they are the same-origin JSON writes a session may make), and signing out ends the session for good.
 */
class StatusPageHostileValuesBrowserTest {
  private static final String IMG = "<img src=x onerror=\"window.owned=1\">";
  private static final String SCRIPT = "</script><script>window.owned=2</script>";

  @TempDir
  Path profile;
  @TempDir
  Path dir;
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private StatusPageBrowser page;

  @AfterEach
  void stop() {
    if (page != null) {
      page.close();
    }
  }

  private String config(String adminExtra) {
    return """
        admin: {keys_env: ADMIN_KEYS%s}
        clients: [{name: backend, key_env: CLIENT_KEY}]
        targets: {api: {base_url: "%s", retry_matrix: {"5xx": {attempts: 1}}, circuit: {cooldown_s: 60}}}
        """.formatted(adminExtra, e2e.up().baseUrl());
  }

  @Test
  void markupFromRequestsAndConfigIsShownAsTextAndThePagesOwnButtonsStillAct() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, config(""));
    e2e.start(GatewayHarness.file(file).env("ADMIN_KEYS", "admin-1").env("CLIENT_KEY", "client-1"));
    var http = e2e.gw().http;
    page = new StatusPageBrowser(profile);
    page.signIn(http.url("/ui"), "admin-1");
    // The sign-in page itself answers 401 (no session yet), which the browser logs.
    assertThat(page.consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui - Failed", "401"));
    String session = "reliapi_admin=" + page.driver().manage().getCookieNamed("reliapi_admin").getValue();

    // A client's request id with markup is replaced (only letters, digits and ._:- are kept) before anything shows it.
    e2e.up().otherwise("GET /fail", Behavior.status(500));
    assertThat(http.get("/t/api/fail", "X-API-Key", "client-1", "X-Request-ID", IMG).status()).isEqualTo(500);
    // Unknown keys are echoed by the refused reload's problems, which the page shows.
    Files.writeString(file, config(", \"" + IMG.replace("\"", "\\\"") + "\": 1, \"" + SCRIPT + "\": 2"));
    assertThat(http.post("/admin/reload", "", "X-API-Key", "admin-1").status()).isEqualTo(422);

    page.until("the refused reload shows", () -> page.text("config").contains("REFUSED"));
    page.until("the failed request shows", () -> page.script("document.querySelectorAll('#failures tbody tr').length")
        .equals("1"));
    assertThat(page.text("config")).contains(IMG, SCRIPT);
    assertThat(page.script("document.querySelector('#failures tbody tr').textContent"))
        .doesNotContain("<img").contains("req_");
    assertThat(page.script("typeof window.owned")).isEqualTo("undefined");
    assertThat(page.script("document.querySelectorAll('img, script:not([src])').length")).isEqualTo("0");

    // The page's own button is a write the session may make: the browser says same-origin and sends JSON.
    page.driver().findElement(By.cssSelector("#targets tbody button")).click();
    page.until("the breaker is forced open", () -> page.text("breaker-api").equals("open (forced)"));
    assertThat(page.consoleErrors()).as("console errors").isEmpty();

    page.driver().findElement(By.id("logout")).click();
    page.until("the sign-in form shows", () -> page.driver().findElements(By.id("key")).size() == 1);
    assertThat(page.driver().manage().getCookieNamed("reliapi_admin")).isNull();
    assertThat(http.get("/admin/targets", "Cookie", session).status()).as("the session ended on the gateway")
        .isEqualTo(401);
  }
}
