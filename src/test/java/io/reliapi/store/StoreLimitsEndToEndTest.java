package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The byte limits of the stores, through the real gateway: filled far past their limit, they keep only
 * what fits, and the gateway goes on answering correctly.
 */
class StoreLimitsEndToEndTest {
  private static final String BODY = "b".repeat(8192);
  private static final int REQUESTS = 40;
  /** At most this many 8 KiB answers fit in 64 KiB. */
  private static final int FIT = 65536 / 8192;

  @Test
  void theCacheKeepsNoMoreThanItsLimitAndStillAnswersFromUpstream() {
    try (MockUpstream up = MockUpstream.start();
         GatewayHarness gw = GatewayHarness.yaml("""
             server: {cache_max_bytes: 65536}
             targets:
               api: {base_url: "%s", cache: {ttl_s: 3600}}
             """.formatted(up.baseUrl())).start()) {
      up.otherwise("* *", Behavior.respond(200, Map.of("Content-Type", "text/plain"), BODY));
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < REQUESTS; i++) {
          Res r = gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item/" + i + "\"}");
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.json().get("data").get("body").asText()).hasSize(8192);
        }
      }
      int hits = 2 * REQUESTS - up.total();
      assertThat(hits).isBetween(0, FIT);
    }
  }

  @Test
  void idempotencyRecordsKeepNoMoreThanTheirLimit() {
    try (MockUpstream up = MockUpstream.start();
         GatewayHarness gw = GatewayHarness.yaml("""
             server: {idempotency_max_bytes: 65536}
             targets:
               api: {base_url: "%s"}
             """.formatted(up.baseUrl())).start()) {
      up.otherwise("* *", Behavior.respond(201, Map.of("Content-Type", "text/plain"), BODY));
      int replays = 0;
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < REQUESTS; i++) {
          Res r = gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay\"}",
              "Idempotency-Key", "key-" + i);
          assertThat(r.status()).isEqualTo(201);
          if ("true".equals(r.header("Idempotent-Replayed"))) {
            replays++;
          }
        }
      }
      assertThat(replays).isEqualTo(2 * REQUESTS - up.total()).isBetween(0, FIT);
    }
  }
}
