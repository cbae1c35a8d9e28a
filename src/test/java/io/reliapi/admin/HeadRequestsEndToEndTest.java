package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawConnection;
import io.reliapi.testing.RawConnection.Answer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code HEAD} on the operator's read endpoints is answered as {@code GET} is, without the body: same status,
 * type and length, and nothing after the head on the connection (the next answer follows it at once).
 */
class HeadRequestsEndToEndTest {
  private static final String ADMIN = "X-API-Key: admin-a\r\n";
  private static final String OPS = "X-API-Key: ops-1\r\n";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      admin: {keys_env: ADMIN_KEYS}
      server: {ops_key_env: OPS_KEY}
      targets: {api: {base_url: "%s"}}
      """.formatted(up.baseUrl())).env("ADMIN_KEYS", "admin-a").env("OPS_KEY", "ops-1"));

  /** Asks HEAD then GET on one connection; checks the HEAD's head against the GET's and returns both. */
  private static Answer[] headThenGet(RawConnection connection, String path, String headers) {
    String rest = " " + path + " HTTP/1.1\r\nHost: gw\r\n" + headers + "\r\n";
    Answer head = connection.write("HEAD" + rest).readHead();
    Answer get = connection.write("GET" + rest).readAnswer();
    assertThat(get.head()).as("nothing may follow the HEAD answer's head").startsWith("HTTP/1.1 ");
    assertThat(head.status()).as(path).isEqualTo(get.status());
    assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
    assertThat(head.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
    assertThat(head.header("Content-Length")).as(path).isNotNull();
    assertThat(get.body()).as(path).isNotEmpty();
    return new Answer[] {head, get};
  }

  private static void sameLength(Answer[] answers) {
    assertThat(answers[0].header("Content-Length")).isEqualTo(answers[1].header("Content-Length"))
        .isEqualTo(Integer.toString(answers[1].body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
  }

  @Test
  void adminReadsAnswerHeadLikeGetWithoutTheBody() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      for (String path : List.of("/admin/targets", "/admin/stores", "/admin/config", "/admin/budgets",
          "/admin/requests?limit=1", "/admin/requests/req_missing", "/admin/nothing")) {
        sameLength(headThenGet(connection, path, ADMIN));
      }
      Answer[] overview = headThenGet(connection, "/admin/overview", ADMIN);
      assertThat(overview[0].status()).isEqualTo(200);
      assertThat(headThenGet(connection, "/admin/requests/req_missing", ADMIN)[0].status()).isEqualTo(404);
      assertThat(headThenGet(connection, "/admin/targets", "")[0].status()).isEqualTo(401);
    }
  }

  @Test
  void healthReadinessAndMetricsAnswerHeadLikeGetWithoutTheBody() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      Answer[] health = headThenGet(connection, "/healthz", "");
      sameLength(health);
      assertThat(health[0].status()).isEqualTo(200);
      Answer[] ready = headThenGet(connection, "/readyz", OPS);
      sameLength(ready);
      assertThat(ready[0].status()).isEqualTo(200);
      assertThat(headThenGet(connection, "/readyz", "")[0].status()).isEqualTo(401);
      assertThat(headThenGet(connection, "/metrics", OPS)[0].status()).isEqualTo(200);
    }
  }

  @Test
  void theStatusPageAnswersHeadLikeGetAndRefusesOtherMethods() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      sameLength(headThenGet(connection, "/ui", ADMIN));
      sameLength(headThenGet(connection, "/ui", ""));
      Answer delete = connection.write("DELETE /ui HTTP/1.1\r\nHost: gw\r\n" + ADMIN + "\r\n").readAnswer();
      assertThat(delete.status()).as("the page was served to any method").isEqualTo(405);
      assertThat(delete.header("Allow")).isEqualTo("GET, HEAD");
      Answer put = connection.write("PUT /ui/login HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n").readAnswer();
      assertThat(put.status()).isEqualTo(405);
      assertThat(put.header("Allow")).isEqualTo("POST");
    }
  }

  @Test
  void writesStayAsTheyAre() {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      Answer put = connection.write("PUT /admin/targets HTTP/1.1\r\nHost: gw\r\n" + ADMIN
          + "Content-Length: 0\r\n\r\n").readAnswer();
      assertThat(put.status()).isEqualTo(405);
      Answer breaker = connection.write("HEAD /admin/targets/api/breaker HTTP/1.1\r\nHost: gw\r\n" + ADMIN + "\r\n")
          .readHead();
      assertThat(breaker.status()).as("a HEAD is a read: it never forces a breaker").isEqualTo(404);
      Answer targets = connection.write("GET /admin/targets HTTP/1.1\r\nHost: gw\r\n" + ADMIN + "\r\n").readAnswer();
      assertThat(targets.body()).contains("\"forced\":false");
    }
  }
}
