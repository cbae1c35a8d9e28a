package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void forwardsThroughBothRoutes() {
    try (MockUpstream up = MockUpstream.start();
         GatewayHarness gw = GatewayHarness.yaml("""
             targets:
               api: {base_url: "%s"}
             """.formatted(up.baseUrl())).start()) {
      var r = gw.http.get("/t/api/hello?x=1");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("uri").asText()).isEqualTo("/hello?x=1");
      var e = gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\"}");
      assertThat(e.json().get("data").get("body").get("uri").asText()).isEqualTo("/a");
    }
  }
}
