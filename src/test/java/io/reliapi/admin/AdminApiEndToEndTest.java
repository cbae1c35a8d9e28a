package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.ConfigException;
import io.reliapi.config.ConfigLoader;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API: its own keys, what it shows, and its audit-logged actions. */
class AdminApiEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start(String admin) {
    e2e.start(GatewayHarness.yaml(admin + """
        clients: [{name: backend, key_env: CLIENT_KEY, budget: {daily_usd: 1}}]
        targets:
          api:
            base_url: "%1$s"
            retry_matrix: {"5xx": {attempts: 1}}
            circuit: {error_threshold: 3, cooldown_s: 30}
            cache: {ttl_s: 60}
          openai:
            base_url: "%1$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 10}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a, admin-b").env("CLIENT_KEY", "client-1"));
  }

  private Res admin(String path) {
    return e2e.gw().http.get(path, "Authorization", "Bearer admin-b");
  }

  @Test
  void withoutKeysEnvTheAdminApiAndStatusPageDoNotExist() {
    start("");
    assertThat(e2e.gw().http.get("/admin/targets", "X-API-Key", "admin-a").status()).isEqualTo(404);
    assertThat(e2e.gw().http.get("/ui").status()).isEqualTo(404);
    assertThat(e2e.gw().http.get("/admin/targets").json().get("error").get("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
  }

  @Test
  void onlyAnAdminKeyOpensIt() {
    start("admin: {keys_env: ADMIN_KEYS}\n");
    assertThat(e2e.gw().http.get("/admin/targets").status()).isEqualTo(401);
    Res client = e2e.gw().http.get("/admin/targets", "X-API-Key", "client-1");
    assertThat(client.status()).isEqualTo(401);
    assertThat(client.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(e2e.gw().http.get("/admin/targets", "Authorization", "Bearer client-1").status()).isEqualTo(401);
    assertThat(e2e.gw().http.get("/admin/targets", "X-API-Key", "admin-a").status()).isEqualTo(200);
    assertThat(admin("/admin/targets").status()).isEqualTo(200);
    // And an admin key is no client key.
    assertThat(e2e.gw().http.get("/t/api/x", "X-API-Key", "admin-a").status()).isEqualTo(401);
  }

  @Test
  void fiveWrongAdminKeysInAMinuteGetTheAddressRefusedForTheRestOfItAuditLogged() {
    ManualClock clock = new ManualClock();
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        targets: {api: {base_url: "%s"}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a").clock(clock, ManualScheduler.auto(clock)));
    Res login = e2e.gw().http.get("/ui?key=admin-a");
    assertThat(login.status()).isEqualTo(303);
    String session = login.header("Set-Cookie").split(";")[0];
    try (LogCapture logs = LogCapture.capture()) {
      assertThat(e2e.gw().http.get("/admin/targets").status()).as("no key is no guess").isEqualTo(401);
      for (int i = 0; i < 3; i++) {
        assertThat(e2e.gw().http.get("/admin/targets", "X-API-Key", "guess-" + i).status()).isEqualTo(401);
      }
      assertThat(e2e.gw().http.get("/admin/targets", "Authorization", "Bearer guess-3").status()).isEqualTo(401);
      clock.advance(Duration.ofSeconds(20));
      assertThat(e2e.gw().http.get("/ui?key=guess-4").status()).isEqualTo(401);

      Res refused = e2e.gw().http.get("/admin/targets", "X-API-Key", "admin-a");
      assertThat(refused.status()).as("even the right key, for the rest of the minute").isEqualTo(429);
      assertThat(refused.header("Retry-After")).isEqualTo("40");
      assertThat(refused.json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
      assertThat(refused.json().get("error").get("retry_after_s").asInt()).isEqualTo(40);
      Res page = e2e.gw().http.get("/ui?key=admin-a");
      assertThat(page.status()).isEqualTo(429);
      assertThat(page.header("Retry-After")).isEqualTo("40");
      assertThat(e2e.gw().http.get("/admin/targets", "Cookie", session).status()).as("a session is no guess")
          .isEqualTo(200);

      clock.advance(Duration.ofSeconds(40));
      assertThat(e2e.gw().http.get("/admin/targets", "X-API-Key", "admin-a").status()).isEqualTo(200);

      Awaitility.await().until(() -> audit(logs).size() >= 6);
      List<String> audit = audit(logs);
      assertThat(audit.stream().filter(l -> l.contains("\"action\":\"auth_failed\""))).hasSize(5)
          .allSatisfy(l -> assertThat(l).contains("\"detail\":\"127.0.0.1\"", "\"result\":\"401\""));
      assertThat(audit).filteredOn(l -> l.contains("\"action\":\"auth_throttled\"")).singleElement()
          .satisfies(l -> assertThat(l).contains("\"detail\":\"127.0.0.1\"", "\"result\":\"429 for 40 s\""));
      assertThat(logs.all()).doesNotContain("guess-", "admin-a");
    }
  }

  @Test
  void theStatusPageSignsInWithAPostedFormThatKeepsTheKeyOutOfUrlsAndCountsWrongKeys() {
    ManualClock clock = new ManualClock();
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        targets: {api: {base_url: "%s"}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a+/=").clock(clock, ManualScheduler.auto(clock)));
    Res page = e2e.gw().http.get("/ui");
    assertThat(page.status()).isEqualTo(401);
    assertThat(page.body()).contains("<form method=\"post\" action=\"/ui/login\"", "type=\"password\"");
    assertThat(page.header("Content-Security-Policy")).contains("form-action 'self'");

    String form = "application/x-www-form-urlencoded";
    Res signedIn = e2e.gw().http.post("/ui/login", "key=admin-a%2B%2F%3D", "Content-Type", form);
    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.header("Location")).isEqualTo("/ui");
    String session = signedIn.header("Set-Cookie").split(";")[0];
    assertThat(e2e.gw().http.get("/ui", "Cookie", session).status()).isEqualTo(200);
    assertThat(signedIn.header("Set-Cookie").toLowerCase()).contains("httponly", "samesite=strict")
        .doesNotContain("secure");
    // Behind a TLS-terminating proxy the browser came over HTTPS: the cookie must never go out over plain HTTP.
    Res behindTls = e2e.gw().http.post("/ui/login", "key=admin-a%2B%2F%3D", "Content-Type", form,
        "X-Forwarded-Proto", "https");
    assertThat(behindTls.header("Set-Cookie").toLowerCase()).contains("; secure", "httponly");

    try (LogCapture logs = LogCapture.capture()) {
      // A body over the form's 4 KiB is not read: no session, and it counts as a wrong key.
      Res tooLarge = e2e.gw().http.post("/ui/login", "key=admin-a%2B%2F%3D&pad=" + "p".repeat(5000), "Content-Type", form);
      assertThat(tooLarge.status()).isEqualTo(401);
      assertThat(tooLarge.header("Set-Cookie")).isNull();
      for (int i = 0; i < 3; i++) {
        assertThat(e2e.gw().http.post("/ui/login", "key=guess-" + i, "Content-Type", form).status()).isEqualTo(401);
      }
      assertThat(e2e.gw().http.post("/ui/login", "nokey=1", "Content-Type", form).status()).isEqualTo(401);
      Res refused = e2e.gw().http.post("/ui/login", "key=admin-a%2B%2F%3D", "Content-Type", form);
      assertThat(refused.status()).as("five wrong tries refuse the address").isEqualTo(429);
      assertThat(logs.all()).doesNotContain("guess-", "admin-a");
    }
  }

  private static List<String> audit(LogCapture logs) {
    return logs.lines().stream().filter(l -> l.contains("\"logger\":\"reliapi.audit\"")).toList();
  }

  @Test
  void anAdminKeyThatIsAlsoAClientKeyIsAConfigError() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        admin: {keys_env: ADMIN_KEYS}
        clients: [{name: backend, key_env: CLIENT_KEY}]
        targets: {api: {base_url: "http://localhost"}}
        """, Map.of("ADMIN_KEYS", "x,shared", "CLIENT_KEY", "shared")::get))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.keys_env: holds a client's key; admin keys must differ from every client key");
  }

  @Test
  void forcingABreakerOpenAndClosedActsAtOnceAndIsAuditLogged() {
    start("admin: {keys_env: ADMIN_KEYS}\n");
    JsonNode api = admin("/admin/targets").json().get("targets").get(0);
    assertThat(api.get("name").asText()).isEqualTo("api");
    assertThat(api.get("breaker").get("state").asText()).isEqualTo("closed");
    assertThat(api.get("breaker").get("error_threshold").asInt()).isEqualTo(3);
    assertThat(api.get("deployments")).isEmpty();

    try (LogCapture logs = LogCapture.capture()) {
      Res forced = e2e.gw().http.post("/admin/targets/api/breaker", "{\"state\": \"open\"}", "X-API-Key", "admin-b");
      assertThat(forced.status()).as(forced.body()).isEqualTo(200);
      assertThat(forced.json().get("state").asText()).isEqualTo("open");
      Res refused = e2e.gw().http.get("/t/api/x", "X-API-Key", "client-1");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.body()).contains("CIRCUIT_OPEN");
      assertThat(refused.header("Retry-After")).as("no cooldown ends a forced breaker: the target's cooldown_s")
          .isEqualTo("30");
      assertThat(refused.json().get("retry_after_s").asInt()).isEqualTo(30);
      assertThat(e2e.up().total()).isZero();
      assertThat(admin("/admin/targets").json().get("targets").get(0).get("breaker").get("forced").asBoolean()).isTrue();

      e2e.gw().http.post("/admin/targets/api/breaker", "{\"state\": \"closed\"}", "X-API-Key", "admin-b");
      assertThat(e2e.gw().http.get("/t/api/x", "X-API-Key", "client-1").status()).isEqualTo(200);

      assertThat(e2e.gw().http.post("/admin/targets/api/breaker", "{\"state\": \"ajar\"}", "X-API-Key", "admin-b").status())
          .isEqualTo(400);
      assertThat(e2e.gw().http.post("/admin/targets/nope/breaker", "{\"state\": \"open\"}", "X-API-Key", "admin-b").status())
          .isEqualTo(404);

      Awaitility.await().until(() -> logs.lines().stream().filter(l -> l.contains("\"logger\":\"reliapi.audit\"")).count() >= 3);
      var audit = logs.lines().stream().filter(l -> l.contains("\"logger\":\"reliapi.audit\"")).toList();
      assertThat(audit.get(0)).contains("\"admin\":\"key[1]\"", "\"action\":\"breaker_open\"", "\"target\":\"api\"",
          "\"result\":\"done\"", "\"ts\":");
      assertThat(audit.get(1)).contains("\"action\":\"breaker_closed\"");
      assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"target\":\"nope\"", "\"result\":\"no_such_breaker\""));
      assertThat(logs.all()).doesNotContain("admin-b", "admin-a");
    }
  }

  @Test
  void budgetsStoresConfigAndFailedRequestsAreShown() {
    start("admin: {keys_env: ADMIN_KEYS}\n");
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    e2e.up().otherwise("GET /boom", Behavior.status(500));
    e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}",
        "X-API-Key", "client-1");
    e2e.gw().http.get("/t/api/cached", "X-API-Key", "client-1");
    e2e.gw().http.get("/t/api/boom", "X-API-Key", "client-1", "X-Request-ID", "boom-1");

    JsonNode budgets = admin("/admin/budgets").json().get("budgets");
    assertThat(budgets).hasSize(2);
    JsonNode target = budgets.get(0);
    assertThat(target.get("owner").asText()).isEqualTo("target");
    assertThat(target.get("name").asText()).isEqualTo("openai");
    assertThat(target.get("period").asText()).isEqualTo("day");
    assertThat(target.get("spent_usd").asDouble()).isEqualTo(0.0000024);
    assertThat(target.get("left_usd").asDouble()).isEqualTo(10 - 0.0000024);
    assertThat(budgets.get(1).get("owner").asText()).isEqualTo("client");
    assertThat(budgets.get(1).get("name").asText()).isEqualTo("backend");
    assertThat(budgets.get(1).get("limit_usd").asDouble()).isEqualTo(1.0);

    JsonNode stores = admin("/admin/stores").json().get("stores");
    assertThat(stores.get("backend").asText()).isEqualTo("memory");
    assertThat(stores.get("cache").get("bytes").asLong()).isPositive();
    assertThat(stores.get("idempotency").get("in_flight").asLong()).isZero();

    JsonNode config = admin("/admin/config").json().get("config");
    assertThat(config.get("version").asLong()).isEqualTo(1);
    assertThat(config.get("digest").asText()).matches("[0-9a-f]{12}");
    assertThat(config.get("loaded_at").asText()).endsWith("Z");
    assertThat(config.get("last_reload").get("trigger").asText()).isEqualTo("startup");

    JsonNode failed = admin("/admin/requests?failed=true").json().get("requests");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).get("request_id").asText()).isEqualTo("boom-1");
    assertThat(failed.get(0).get("status").asInt()).isEqualTo(500);

    JsonNode overview = admin("/admin/overview").json();
    assertThat(overview.get("targets").get(0).get("recent").get("requests").asInt()).isEqualTo(2);
    assertThat(overview.get("targets").get(0).get("recent").get("errors").asInt()).isEqualTo(1);
    assertThat(overview.get("recent_failures").get(0).get("request_id").asText()).isEqualTo("boom-1");
    assertThat(overview.get("budgets")).hasSize(2);
  }
}
