package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.StatusPageBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * it loads without console errors, shows a breaker turning open while the upstream fails, and a budget
 * going down as it is spent.
 */
class StatusPageBrowserTest {
  @TempDir
  Path profile;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private StatusPageBrowser page;
  private ChromeDriver browser;

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        clients: [{name: backend, key_env: CLIENT_KEY}]
        targets:
          api:
            base_url: "%1$s"
            retry_matrix: {"5xx": {attempts: 1}}
            circuit: {error_threshold: 3, cooldown_s: 60}
          pool:
            base_url: "%1$s/pa"
            retry_matrix: {"5xx": {attempts: 1}}
            circuit: {error_threshold: 1, cooldown_s: 60}
            deployments: [{name: a}, {name: b, base_url: "%1$s/pb"}]
          openai:
            base_url: "%1$s/v1"
            retry_matrix: {"5xx": {attempts: 1}}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.01}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-1").env("CLIENT_KEY", "client-1"));
    page = new StatusPageBrowser(profile);
    browser = page.driver();
  }

  @AfterEach
  void stop() {
    if (page != null) {
      page.close();
    }
  }

  private String text(String id) {
    return page.text(id);
  }

  private String script(String expression) {
    return page.script(expression);
  }

  private void until(String what, java.util.function.BooleanSupplier condition) {
    page.until(what, condition);
  }

  private static double dollars(String text) {
    return Double.parseDouble(text.replace("$", ""));
  }

  @Test
  void showsABreakerOpeningAndABudgetGoingDownLiveWithoutConsoleErrors() {
    // Signs in with the page's form, so the key never appears in a URL.
    page.signIn(e2e.gw().http.url("/ui"), "admin-1");
    assertThat(browser.getCurrentUrl()).endsWith("/ui").doesNotContain("admin-1");
    // The sign-in page itself answers 401 (no session yet), which the browser logs; nothing else may be logged.
    assertThat(page.consoleErrors())
        .allSatisfy(entry -> assertThat(entry.getMessage()).contains("/ui - Failed to load resource", "401"));
    Cookie session = browser.manage().getCookieNamed("reliapi_admin");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.getPath()).isIn("/ui", "/admin");

    until("the breaker of api shows closed", () -> text("breaker-api").equals("closed"));
    until("the budget of openai shows", () -> text("budget-left-target-openai-day").startsWith("$"));
    double before = dollars(text("budget-left-target-openai-day"));

    e2e.up().otherwise("GET /fail", Behavior.status(500));
    for (int i = 0; i < 3; i++) {
      assertThat(e2e.gw().http.get("/t/api/fail", "X-API-Key", "client-1").status()).isEqualTo(500);
    }
    until("the breaker of api turns open", () -> text("breaker-api").equals("open"));
    assertThat(script("document.getElementById('breaker-api').dataset.state")).isEqualTo("open");
    until("the failed requests are listed", () -> script("document.querySelectorAll('#failures tbody tr').length").equals("3"));
    assertThat(script("document.querySelector('#failures tbody tr').textContent")).contains("attempt api#1 500");

    // A target with deployments shows each deployment's own state: b's breaker opens, a stays in service.
    until("the deployments of pool show", () -> text("deployment-pool/b").equals("b: in_service"));
    e2e.up().otherwise("GET /pb/fail", Behavior.status(500));
    for (int i = 0; i < 2; i++) {
      e2e.gw().http.get("/t/pool/fail", "X-API-Key", "client-1");
    }
    until("deployment b of pool turns open", () -> text("deployment-pool/b").equals("b: open"));
    assertThat(text("deployment-pool/a")).isEqualTo("a: in_service");

    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100));
    assertThat(e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hello\"}]}", "X-API-Key", "client-1").status()).isEqualTo(200);
    until("the budget goes down", () -> dollars(text("budget-left-target-openai-day")) < before);
    // Shown to the micro-dollar: 0.01 - 0.0000612 spent.
    assertThat(text("budget-left-target-openai-day")).isEqualTo("$0.009939");
    if (System.getenv("RELIAPI_UI_SCREENSHOT") != null) {
      byte[] png = browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
      try {
        Files.write(Path.of(System.getenv("RELIAPI_UI_SCREENSHOT")), png);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    assertThat(page.consoleErrors()).as("console errors").isEmpty();
  }

  @Test
  void withoutTheKeyThePageAsksForIt() throws Exception {
    browser.get(e2e.gw().http.url("/ui"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Admin key required");
    browser.get(e2e.gw().http.url("/ui?key=client-1"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Admin key required");
    assertThat(browser.manage().getCookieNamed("reliapi_admin")).isNull();
    assertThat(Files.exists(profile)).isTrue();
  }
}
