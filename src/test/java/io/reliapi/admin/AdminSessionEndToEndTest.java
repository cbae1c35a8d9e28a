package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The status page's session: how it starts, and each way it ends (its hours, the key removed, signing out). */
class AdminSessionEndToEndTest {
  private static final String JSON = "application/json";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  @TempDir
  Path dir;

  private String yaml(String keysEnv) {
    return "admin: {keys_env: " + keysEnv + "}\ntargets: {api: {base_url: \"" + e2e.up().baseUrl() + "\"}}\n";
  }

  private String login(String key, String... headers) {
    Res login = e2e.gw().http.post("/ui/login", "key=" + key, concat(headers,
        "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(login.status()).isEqualTo(303);
    return login.header("Set-Cookie").split(";")[0];
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private int targets(String session) {
    return e2e.gw().http.get("/admin/targets", "Cookie", session).status();
  }

  @Test
  void aSessionLastsTwelveHoursOnTheGatewaysClockAndACookieTheClientChoseOpensNothing() {
    ManualClock clock = new ManualClock();
    e2e.start(GatewayHarness.yaml(yaml("ADMIN_KEYS")).env("ADMIN_KEYS", "admin-a").clock(clock, ManualScheduler.auto(clock)));
    // Fixation: a token planted in the browser beforehand is neither honoured nor kept by a sign-in.
    String planted = "reliapi_admin=" + "ab".repeat(32);
    assertThat(targets(planted)).isEqualTo(401);
    String session = login("admin-a", "Cookie", planted);
    assertThat(session).isNotEqualTo(planted);
    assertThat(targets(planted)).isEqualTo(401);

    // A cookie of the same name tossed in by a sibling subdomain (Domain=the parent) goes first; it hides nothing.
    String tossed = planted + "; " + session;
    assertThat(targets(tossed)).isEqualTo(200);
    assertThat(e2e.gw().http.get("/ui", "Cookie", tossed).status()).isEqualTo(200);

    clock.advance(Duration.ofHours(12).minusSeconds(1));
    assertThat(targets(session)).isEqualTo(200);
    assertThat(e2e.gw().http.get("/ui", "Cookie", session).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(2));
    assertThat(targets(session)).isEqualTo(401);
    assertThat(e2e.gw().http.get("/ui", "Cookie", session).status()).isEqualTo(401);
  }

  @Test
  void aReloadThatRemovesTheKeyEndsItsSessionsAndOnlyThose() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml("ADMIN_KEYS"));
    e2e.start(GatewayHarness.file(file).env("ADMIN_KEYS", "admin-a,admin-b").env("ROTATED_KEYS", "admin-a,admin-c"));
    String a = login("admin-a");
    String b = login("admin-b");
    Files.writeString(file, yaml("ROTATED_KEYS"));
    assertThat(e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-a").json().get("result").asText())
        .isEqualTo("reloaded");
    assertThat(targets(b)).isEqualTo(401);
    assertThat(targets(a)).isEqualTo(200);
    String c = login("admin-c");
    // Ended for good: a key put back (here admin-b, say by mistake) does not bring its old sessions back, even one
    // nobody used while the key was gone (c).
    Files.writeString(file, yaml("ADMIN_KEYS"));
    assertThat(e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-a").status()).isEqualTo(200);
    Files.writeString(file, yaml("ROTATED_KEYS"));
    assertThat(e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-a").status()).isEqualTo(200);
    Files.writeString(file, yaml("ADMIN_KEYS"));
    assertThat(e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-a").status()).isEqualTo(200);
    assertThat(targets(b)).isEqualTo(401);
    assertThat(targets(a)).isEqualTo(200);
    Files.writeString(file, yaml("ROTATED_KEYS"));
    assertThat(e2e.gw().http.post("/admin/reload", "", "X-API-Key", "admin-a").status()).isEqualTo(200);
    assertThat(targets(c)).isEqualTo(401);
  }

  @Test
  void signingOutEndsTheSessionOnTheGatewayNotOnlyInTheBrowser() {
    e2e.start(GatewayHarness.yaml(yaml("ADMIN_KEYS")).env("ADMIN_KEYS", "admin-a"));
    String session = login("admin-a");
    String other = login("admin-a");
    var http = e2e.gw().http;
    // Another page's form cannot sign the operator out.
    assertThat(http.post("/ui/logout", "", "Cookie", session, "Content-Type", "text/plain").status()).isEqualTo(403);
    assertThat(targets(session)).isEqualTo(200);

    Res out = http.post("/ui/logout", "{}", "Cookie", session, "Content-Type", JSON, "Sec-Fetch-Site", "same-origin");
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().allValues("Set-Cookie")).hasSize(2)
        .allSatisfy(c -> assertThat(c).startsWith("reliapi_admin=;").contains("Max-Age=0"));
    // A copy of the cookie kept anywhere opens nothing any more; the same admin's other session goes on.
    assertThat(targets(session)).isEqualTo(401);
    assertThat(http.get("/ui", "Cookie", session).status()).isEqualTo(401);
    assertThat(targets(other)).isEqualTo(200);
  }

  @Test
  void behindAProxyThatAddsItsOwnAuthorizationTheSessionStillWorksAndIsNoGuess() {
    e2e.start(GatewayHarness.yaml(yaml("ADMIN_KEYS")).env("ADMIN_KEYS", "admin-a"));
    String session = login("admin-a");
    var http = e2e.gw().http;
    // A Basic-auth proxy's browser sends its credentials on every request; an SSO proxy may pass its own bearer token.
    for (String proxied : new String[] {"Basic dXNlcjpwYXNz", "Bearer sso-id-token"}) {
      for (int i = 0; i < KeyGuesses.MAX_FAILURES + 1; i++) {
        assertThat(http.get("/admin/overview", "Cookie", session, "Authorization", proxied).status()).isEqualTo(200);
        assertThat(http.get("/ui", "Cookie", session, "Authorization", proxied).status()).isEqualTo(200);
      }
      assertThat(http.post("/admin/reload", "{}", "Cookie", session, "Authorization", proxied,
          "Content-Type", JSON, "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
      // The page's session keeps its guard: the proxy's header makes no other page's form an admin's.
      assertThat(http.post("/admin/reload", "", "Cookie", session, "Authorization", proxied,
          "Content-Type", "text/plain").status()).isEqualTo(403);
    }
    assertThat(http.get("/admin/targets", "X-API-Key", "admin-a").status()).as("no guess was counted").isEqualTo(200);
    // Without a session, a Basic header is no admin key, and no guess at one.
    for (int i = 0; i < KeyGuesses.MAX_FAILURES + 1; i++) {
      assertThat(http.get("/admin/targets", "Authorization", "Basic dXNlcjpwYXNz").status()).isEqualTo(401);
    }
    assertThat(http.get("/admin/targets", "X-API-Key", "admin-a").status()).isEqualTo(200);
  }
}
