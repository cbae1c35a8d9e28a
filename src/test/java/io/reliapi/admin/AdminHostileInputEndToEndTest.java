package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Odd paths and bodies sent to the admin actions by a holder of the admin key: each gets an answer, none acts. */
class AdminHostileInputEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start() {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        targets:
          api: {base_url: "%s", circuit: {error_threshold: 3, cooldown_s: 30}}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEYS", "admin-a"));
  }

  private Res post(String path, String body) throws Exception {
    return e2e.gw().http.postAsync(path, body, "X-API-Key", "admin-a", "Content-Type", "application/json")
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void breakerPathsWithoutATargetNameAreAnsweredNotLeftHanging() throws Exception {
    start();
    // "/targets/breaker" both starts with "/targets/" and ends with "/breaker": no target name between them.
    assertThat(post("/admin/targets/breaker", "{\"state\": \"open\"}").status()).isEqualTo(405);
    assertThat(post("/admin/targets//breaker", "{\"state\": \"open\"}").status()).isEqualTo(405);
    assertThat(post("/admin/targets/nope/breaker", "{\"state\": \"open\"}").json().get("error").get("code").asText())
        .isEqualTo("TARGET_NOT_FOUND");
    assertThat(post("/admin/targets/api/breaker", "{\"state\": \"open\"}").json().get("forced").asBoolean()).isTrue();
  }

  @Test
  void aBreakerBodyOverItsLimitIsRefusedAsTooLargeAndOddBodiesAsInvalid() throws Exception {
    start();
    Res large = post("/admin/targets/api/breaker", "{\"state\": \"open\", \"pad\": \"" + "p".repeat(70_000) + "\"}");
    assertThat(large.status()).isEqualTo(413);
    assertThat(large.json().get("error").get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    for (String odd : new String[] {"", "open", "{\"state\": [\"open\"]}", "{\"state\": \"open\"", "\u0000"}) {
      assertThat(post("/admin/targets/api/breaker", odd).status()).as(odd).isEqualTo(400);
    }
    assertThat(post("/admin/targets/api/breaker", "{\"state\": \"closed\"}").status()).isEqualTo(200);
  }

  @Test
  void concurrentReloadsAreEachAnsweredOneAtATime() throws Exception {
    start();
    List<CompletableFuture<Res>> reloads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      reloads.add(e2e.gw().http.postAsync("/admin/reload", "", "X-API-Key", "admin-a"));
    }
    for (CompletableFuture<Res> reload : reloads) {
      Res res = reload.get(20, TimeUnit.SECONDS);
      assertThat(res.status()).isEqualTo(200);
      assertThat(res.json().get("result").asText()).isEqualTo("unchanged");
      assertThat(res.json().get("version").asInt()).isEqualTo(1);
    }
  }
}
