package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key's claim in memory lasts its request's life: to its deadline, or to the end of the longest stream its answer
 * may send on its own target or the targets it may fall back to, plus a grace of 60 s; not to the longest
 * {@code stream_max_s} of any target in the config. A claim held past that (a holder that can no longer be alive) is
 * presumed dead, and a duplicate gets 504 IDEMPOTENCY_OUTCOME_UNKNOWN rather than waiting for another target's
 * stream length. The monotonic clock is stepped by hand; the upstream holds its answer open meanwhile, playing the
 * holder that outlived its target's limits.
 */
class KeyLeaseByTargetEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private final CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();

  @BeforeEach
  void start() {
    String base = "base_url: \"" + e2e.up().baseUrl() + "\"\n" + TestYaml.ONE_ATTEMPT + "deadline_ms: 5000\n";
    e2e.start(GatewayHarness.yaml("targets:\n"
        + "  short:\n" + (base + "stream_max_s: 10\n").indent(4)
        + "  chained:\n" + (base + "stream_max_s: 10\nfallback_targets: [long]\n").indent(4)
        + "  long:\n" + (base + "stream_max_s: 600\n").indent(4)).clock(clock, scheduler));
    e2e.up().script("POST /export", call -> {
      call.request().response().setChunked(true).putHeader("Content-Type", "text/csv").write("a,b\n");
      held.complete(call);
    });
  }

  @Test
  void aShortStreamTargetsClaimIsPresumedDeadPastItsOwnStreamMaxS() {
    CompletableFuture<Res> leader = post("/t/short/export", "k-short");
    held.join();
    // Past the target's stream_max_s (10 s) and the grace (60 s); well within the long target's 600 s.
    scheduler.advance(Duration.ofSeconds(75));

    Res duplicate = post("/t/short/export", "k-short").join();

    assertThat(duplicate.status()).as(duplicate.body()).isEqualTo(504);
    assertThat(duplicate.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(e2e.up().count("/export")).isEqualTo(1);
    held.join().request().response().end("1,2\n");
    assertThat(leader.join().status()).isEqualTo(200);
  }

  @Test
  void aTargetThatFallsBackToALongStreamTargetKeepsItsClaimForThatStream() {
    CompletableFuture<Res> leader = post("/t/chained/export", "k-chained");
    held.join();
    scheduler.advance(Duration.ofSeconds(75));

    CompletableFuture<Res> duplicate = post("/t/chained/export", "k-chained");
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() >= 1 || duplicate.isDone());
    assertThat(duplicate).as("the duplicate waits for the holder").isNotDone();

    held.join().request().response().end("1,2\n");
    assertThat(leader.join().body()).isEqualTo("a,b\n1,2\n");
    assertThat(duplicate.join().body()).isEqualTo("a,b\n1,2\n");
    assertThat(duplicate.join().header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/export")).isEqualTo(1);
  }

  private CompletableFuture<Res> post(String path, String key) {
    return e2e.gw().http.postAsync(path, "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", "application/json");
  }
}
