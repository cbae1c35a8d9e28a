package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.ManualClock;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestHttp.Res;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bug in the operator's routes still answers the request (500 in the error object) instead of leaving it hanging. */
class AdminRoutesFailureTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestThatMeetsABugGetsA500() throws Exception {
    AdminParts broken = new AdminParts(() -> {
      throw new IllegalStateException("a bug");
    }, null, null, new ManualClock(), null, null);
    HttpServer server = vertx.createHttpServer().requestHandler(new AdminRoutes(broken, StatusPage.load()))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    TestHttp http = new TestHttp("http://127.0.0.1:" + server.actualPort());
    for (String path : new String[] {"/admin/targets", "/ui"}) {
      Res res = http.getAsync(path).get(10, TimeUnit.SECONDS);
      assertThat(res.status()).isEqualTo(500);
      assertThat(res.json().get("error").get("code").asText()).isEqualTo("INTERNAL_ERROR");
      assertThat(res.body()).doesNotContain("a bug", "IllegalStateException");
    }
  }
}
