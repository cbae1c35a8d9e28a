package io.reliapi.testing;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) for the status page, with the
 * reads its tests need. The page redraws every second, so elements are read in one script call, never held.
 */
public final class StatusPageBrowser implements AutoCloseable {
  private final ChromeDriver driver;

  /** Starts a browser whose profile lives in {@code profile} (a fresh directory per test). */
  public StatusPageBrowser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Opens {@code pageUrl} (the gateway's {@code /ui}) and signs in with the page's form. */
  public void signIn(String pageUrl, String key) {
    driver.get(pageUrl);
    driver.findElement(By.id("key")).sendKeys(key);
    driver.findElement(By.cssSelector("form button")).click();
    until("the form signs in", () -> driver.getCurrentUrl().endsWith("/ui")
        && driver.manage().getCookieNamed("reliapi_admin") != null);
  }

  /** The text of the element with this id, or "" when there is none. */
  public String text(String id) {
    Object text = driver.executeScript(
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id);
    return String.valueOf(text);
  }

  public String script(String expression) {
    return String.valueOf(driver.executeScript("return " + expression + ";"));
  }

  public void until(String what, BooleanSupplier condition) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(what).until(d -> condition.getAsBoolean());
  }

  /** The console's errors so far (each read empties the browser's log). */
  public List<LogEntry> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
