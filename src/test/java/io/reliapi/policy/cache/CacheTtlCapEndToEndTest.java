package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client may shorten what it caches, never lengthen it (issue 11, item 11): the request's {@code cache}
 * field is capped by the target's {@code ttl_s}. Time is a manual clock.
 */
class CacheTtlCapEndToEndTest {
  private final MockUpstream up = MockUpstream.start();
  private final ManualClock clock = new ManualClock();
  private GatewayHarness gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    up.close();
  }

  private String fetch(long cacheS) {
    return gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/item\",\"cache\":" + cacheS
        + "}", "Content-Type", "application/json").json().get("data").get("body").asText();
  }

  @Test
  void aClientsCacheTtlAboveTheTargetsIsCappedByIt() {
    up.otherwise("GET /item", Behavior.respond(200, Map.of("Content-Type", "text/plain"), "x"));
    gw = GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
            cache: {ttl_s: 60}
        """.formatted(up.baseUrl())).clock(clock, ManualScheduler.manual(clock)).start();

    fetch(31_536_000);
    clock.advance(Duration.ofSeconds(59));
    fetch(31_536_000);
    assertThat(up.count("/item")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    fetch(31_536_000);
    assertThat(up.count("/item")).isEqualTo(2);
  }
}
