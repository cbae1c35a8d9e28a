package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Config reload without restart: POST /admin/reload and server.watch_config, under real load. */
class ConfigReloadEndToEndTest {
  @TempDir
  Path dir;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private Path file;

  private void write(String yaml) {
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start(String yaml) {
    file = dir.resolve("config.yaml");
    write(yaml);
    e2e.start(GatewayHarness.file(file).env("ADMIN_KEYS", "admin-1").env("KEY_1", "client-1").env("KEY_2", "client-2"));
  }

  private Res reload() {
    return e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-1");
  }

  /** A config with the stable target {@code a}, plus what the i-th reload adds, changes or removes. */
  private String config(int i) {
    String a = "    a: {base_url: \"" + e2e.up().baseUrl() + "\", timeout_ms: " + (5000 + i)
        + ", retry_matrix: {\"5xx\": {attempts: " + (1 + i % 3) + "}}}\n";
    String b = i % 2 == 0 ? "    b: {base_url: \"" + e2e.up().baseUrl() + "/b\"}\n" : "";
    String c = i % 3 == 0 ? "    c: {base_url: \"" + e2e.up().baseUrl() + "/c\", timeout_ms: " + (1000 + i) + "}\n" : "";
    String client2 = i % 2 == 1 ? "  - {name: second, key_env: KEY_2}\n" : "";
    return "admin: {keys_env: ADMIN_KEYS}\nclients:\n  - {name: first, key_env: KEY_1}\n" + client2
        + "targets:\n" + a + b + c;
  }

  @Test
  void twentyReloadsThatAddChangeAndRemoveTargetsAndClientsFailNoRequestUnderLoad() throws Exception {
    e2e.up().otherwise("GET /work", Behavior.delayed(15, Behavior.json(200, "{\"ok\":true}")));
    start(config(0));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      workers.add(CompletableFuture.runAsync(() -> {
        // Bounded: at most 5,000 requests per worker, and it stops once the reloads are done.
        for (int n = 0; n < 5_000 && running.get(); n++) {
          Res res = e2e.gw().http.get("/t/a/work", "X-API-Key", "client-1");
          if (res.status() != 200) {
            failures.add(res.status() + " " + res.body());
          }
          done.incrementAndGet();
        }
      }));
    }
    try {
      for (int i = 1; i <= 20; i++) {
        int before = done.get();
        // Requests are in flight on the old config while it is replaced.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= before + 20);
        write(config(i));
        Res res = reload();
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        assertThat(res.json().get("result").asText()).isEqualTo("reloaded");
        assertThat(res.json().get("version").asLong()).isEqualTo(i + 1);
        // Each reload took effect at once: targets and clients as the file says.
        assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").status()).isEqualTo(i % 2 == 0 ? 200 : 404);
        assertThat(e2e.gw().http.get("/t/c/x", "X-API-Key", "client-1").status()).isEqualTo(i % 3 == 0 ? 200 : 404);
        assertThat(e2e.gw().http.get("/t/a/work", "X-API-Key", "client-2").status()).isEqualTo(i % 2 == 1 ? 200 : 401);
      }
    } finally {
      running.set(false);
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    assertThat(failures).isEmpty();
    assertThat(done.get()).isGreaterThanOrEqualTo(400);
    assertThat(e2e.gw().http.get("/metrics").body()).contains("reliapi_config_reloads_total{result=\"reloaded\"} 20.0");
    assertThat(e2e.gw().gateway().inFlight()).isZero();
  }

  @Test
  void aRequestInFlightFinishesOnTheConfigItStartedWith() throws Exception {
    e2e.up().otherwise("GET /c/slow", Behavior.delayed(600, Behavior.json(200, "{\"old\":true}")));
    start(config(0));
    CompletableFuture<Res> slow = e2e.gw().http.getAsync("/t/c/slow", "X-API-Key", "client-1");
    Awaitility.await().until(() -> e2e.up().count("/c/slow") == 1);
    write(config(1));  // removes target c and changes a
    assertThat(reload().status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/c/slow", "X-API-Key", "client-1").status()).isEqualTo(404);

    Res res = slow.get(10, TimeUnit.SECONDS);
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"old\":true}");
  }

  @Test
  void theConnectionsOfChangedAndRemovedTargetsAreClosedOnceTheRequestsOnTheOldConfigFinished() throws Exception {
    e2e.up().otherwise("GET /c/slow", Behavior.delayed(500, Behavior.json(200, "{}")));
    start(config(0));
    CompletableFuture<Res> slow = e2e.gw().http.getAsync("/t/c/slow", "X-API-Key", "client-1");
    Awaitility.await().until(() -> e2e.up().count("/c/slow") == 1);
    assertThat(e2e.gw().http.get("/t/a/x", "X-API-Key", "client-1").status()).isEqualTo(200);
    assertThat(e2e.up().openConnections()).isEqualTo(2);

    write(config(1));  // changes a and removes c
    assertThat(reload().status()).isEqualTo(200);
    assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    // Both go once the request on the old config is done, well before their 4 s keep-alive would end.
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> e2e.up().openConnections() == 0);
    assertThat(e2e.gw().http.get("/t/a/x", "X-API-Key", "client-1").status()).isEqualTo(200);
    assertThat(e2e.up().openConnections()).isEqualTo(1);
  }

  @Test
  void aBadFileIsRefusedLoudlyAndTheRunningConfigStays() {
    start(config(0));
    try (LogCapture logs = LogCapture.capture()) {
      write(config(0).replace("timeout_ms: 5000", "timeout_ms: -5").replace("admin: {", "admin: {surprise: 1, "));
      Res res = reload();
      assertThat(res.status()).isEqualTo(422);
      assertThat(res.json().get("result").asText()).isEqualTo("refused");
      assertThat(res.json().get("problems").toString()).contains("targets.a.timeout_ms: must be an integer")
          .contains("admin.surprise: unknown key");

      assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").status()).isEqualTo(200);
      JsonNode config = e2e.gw().http.get("/admin/config", "X-API-Key", "admin-1").json().get("config");
      assertThat(config.get("version").asLong()).isEqualTo(1);
      assertThat(config.get("last_reload").get("result").asText()).isEqualTo("refused");
      assertThat(config.get("last_reload").get("problems")).hasSize(2);
      assertThat(e2e.gw().http.get("/metrics").body()).contains("reliapi_config_reloads_total{result=\"refused\"} 1.0");
      Awaitility.await().until(() -> logs.all().contains("Config reload (admin) refused"));
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("\"level\":\"ERROR\"")
          .contains("targets.a.timeout_ms, admin.surprise").doesNotContain(e2e.up().baseUrl()));
    }
  }

  @Test
  void aChangeOfAKeyThatNeedsARestartIsRefusedWithAClearMessage() {
    start(config(0));
    write("server: {port: 9999, idle_timeout_s: 5}\n" + config(0));
    Res res = reload();
    assertThat(res.status()).isEqualTo(422);
    assertThat(res.json().get("problems").toString())
        .contains("server.port: cannot change without a restart (running 0, the file says 9999)")
        .contains("server.idle_timeout_s: cannot change without a restart (running 60, the file says 5)");
  }

  @Test
  void anUnchangedFileReloadsNothingAndATargetsBreakerOutlivesReloadsThatLeaveItsCircuitAndUpstreamAlone() {
    start(config(0));
    assertThat(reload().json().get("result").asText()).isEqualTo("unchanged");
    e2e.gw().http.post("/admin/targets/b/breaker", "{\"state\": \"open\"}", "X-API-Key", "admin-1");
    write(config(0).replace("timeout_ms: 5000", "timeout_ms: 7000"));
    assertThat(reload().json().get("result").asText()).isEqualTo("reloaded");
    assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").body()).contains("CIRCUIT_OPEN");

    write(config(0).replace("/b\"}", "/b\", circuit: {error_threshold: 9}}"));
    assertThat(reload().json().get("result").asText()).isEqualTo("reloaded");
    assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").status()).isEqualTo(200);

    // The same name, the same circuit, another upstream: the old counts say nothing about it.
    e2e.gw().http.post("/admin/targets/b/breaker", "{\"state\": \"open\"}", "X-API-Key", "admin-1");
    write(config(0).replace("/b\"}", "/b2\", circuit: {error_threshold: 9}}"));
    assertThat(reload().json().get("result").asText()).isEqualTo("reloaded");
    assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").status()).isEqualTo(200);
  }

  @Test
  void watchConfigReloadsWhenTheFileChanges() {
    start("server: {watch_config: true}\n" + config(0));
    write("server: {watch_config: true}\n" + config(1));
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(
        () -> e2e.gw().http.get("/admin/config", "X-API-Key", "admin-1").json().get("config").get("version").asLong() == 2);
    assertThat(e2e.gw().http.get("/admin/config", "X-API-Key", "admin-1").json().get("config").get("last_reload")
        .get("trigger").asText()).isEqualTo("watch");
    assertThat(e2e.gw().http.get("/t/b/x", "X-API-Key", "client-1").status()).isEqualTo(404);
  }
}
