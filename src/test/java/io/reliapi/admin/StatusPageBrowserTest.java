package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PerTestGatewayExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

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
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  /** Reads an element's text in one script call: the page redraws every second, so a held element goes stale. */
  private String text(String id) {
    Object text = browser.executeScript(
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id);
    return String.valueOf(text);
  }

  private String script(String expression) {
    return String.valueOf(browser.executeScript("return " + expression + ";"));
  }

  private void until(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what).until(d -> condition.getAsBoolean());
  }

  private static double dollars(String text) {
    return Double.parseDouble(text.replace("$", ""));
  }

  @Test
  void showsABreakerOpeningAndABudgetGoingDownLiveWithoutConsoleErrors() {
    // Signs in with the page's form, so the key never appears in a URL.
    browser.get(e2e.gw().http.url("/ui"));
    browser.findElement(By.id("key")).sendKeys("admin-1");
    browser.findElement(By.cssSelector("form button")).click();
    until("the form signs in", () -> browser.getCurrentUrl().endsWith("/ui")
        && browser.manage().getCookieNamed("reliapi_admin") != null);
    assertThat(browser.getCurrentUrl()).endsWith("/ui").doesNotContain("admin-1");
    // The sign-in page itself answers 401 (no session yet), which the browser logs; nothing else may be logged.
    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
        .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
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

    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(errors).as("console errors").isEmpty();
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
