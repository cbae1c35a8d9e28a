package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client keys, allowlists and the open-gateway warning (SPEC §2.1). */
class AuthEndToEndTest {
  static final String GET = "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\"}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      clients:
        - {name: backend, key_env: BACKEND_KEY, targets: [api]}
        - {name: ops, key_env: OPS_KEY}
      targets:
        api: {base_url: "%s"}
        other: {base_url: "%s"}
      """.formatted(up.baseUrl(), up.baseUrl()))
      .env("BACKEND_KEY", "backend-key-123").env("OPS_KEY", "ops-key-456").env("RELIAPI_API_KEY", "single-key"));

  @Test
  void acceptsKeysInXApiKeyOrBearerAndNeverForwardsThem() {
    e2e.up().reset();
    assertThat(e2e.gw().http.post("/proxy/http", GET, "X-API-Key", "backend-key-123").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/proxy/http", GET, "Authorization", "Bearer ops-key-456").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/proxy/http", GET, "X-API-Key", "single-key").status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/api/x", "Authorization", "Bearer ops-key-456").status()).isEqualTo(200);
    for (var seen : e2e.up().requests()) {
      assertThat(seen.header("X-API-Key")).isNull();
      assertThat(seen.header("Authorization")).isNull();
    }
  }

  @Test
  void answersEveryUnknownKeyWithTheSame401() {
    e2e.up().reset();
    TestHttp.Res none = e2e.gw().http.post("/proxy/http", GET, "X-Request-ID", "same");
    TestHttp.Res wrong = e2e.gw().http.post("/proxy/http", GET, "X-API-Key", "backend-key-124", "X-Request-ID", "same");
    TestHttp.Res bearer = e2e.gw().http.post("/proxy/http", GET, "Authorization", "Bearer nope", "X-Request-ID", "same");
    for (TestHttp.Res res : new TestHttp.Res[] {none, wrong, bearer}) {
      assertThat(res.status()).isEqualTo(401);
      assertThat(res.json().get("error").get("code").asText()).isEqualTo("UNAUTHORIZED");
    }
    String normalized = none.body().replaceAll("\"duration_ms\":\\d+", "");
    assertThat(wrong.body().replaceAll("\"duration_ms\":\\d+", "")).isEqualTo(normalized);
    assertThat(bearer.body().replaceAll("\"duration_ms\":\\d+", "")).isEqualTo(normalized);
    var problem = e2e.gw().http.get("/t/api/x", "X-API-Key", "bad");
    assertThat(problem.status()).isEqualTo(401);
    assertThat(problem.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void refusesTargetsOutsideTheClientAllowlistWith403() {
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"other\",\"method\":\"GET\",\"path\":\"/a\"}",
        "X-API-Key", "backend-key-123");
    assertThat(res.status()).isEqualTo(403);
    assertThat(res.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(e2e.gw().http.get("/t/other/a", "X-API-Key", "backend-key-123").status()).isEqualTo(403);
    assertThat(e2e.gw().http.get("/t/other/a", "X-API-Key", "ops-key-456").status()).isEqualTo(200);
  }

  @Test
  void keepsHealthAndMetricsOpen() {
    assertThat(e2e.gw().http.get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(e2e.gw().http.get("/readyz").status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void warnsLoudlyWhenNoKeysAreConfigured() {
    try (LogCapture logs = LogCapture.capture();
         GatewayHarness open = GatewayHarness.yaml("targets: {api: {base_url: 'http://127.0.0.1:9'}}").start()) {
      assertThat(logs.lines()).anySatisfy(line ->
          assertThat(line).contains("\"level\":\"WARN\"").contains("NO CLIENT KEYS CONFIGURED"));
      assertThat(open.port()).isPositive();
    }
  }

  @Test
  void warnsWhenMetricsAnswerBeyondThisMachineWithoutAnOpsKey() {
    try (LogCapture logs = LogCapture.capture();
         GatewayHarness wide = GatewayHarness.yaml("""
             server: {host: 0.0.0.0}
             targets: {api: {base_url: 'http://127.0.0.1:9'}}
             """).start();
         GatewayHarness local = GatewayHarness.yaml("targets: {api: {base_url: 'http://127.0.0.1:9'}}").start()) {
      assertThat(logs.lines()).filteredOn(line -> line.contains("NO OPS KEY CONFIGURED")).singleElement()
          .satisfies(line -> assertThat(line).contains("\"level\":\"WARN\"").contains("0.0.0.0"));
      assertThat(wide.port()).isPositive();
      assertThat(local.port()).isPositive();
    }
  }
}
