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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live leader's claim with the in-memory store, which must neither be taken over (a second upstream call) nor
 * answered "outcome unknown" while its request runs. The wall clock stepped forward (an NTP step, a VM resumed from
 * suspend) while a keyed request's upstream call runs: in memory a claim's lease is judged by the monotonic clock,
 * which a step does not move (docs/guides/idempotency.md, the decision on the monotonic clock). A {@code /t/} answer
 * whose body streams past the request's deadline plus the claim's grace, as the target's {@code stream_max_s} allows:
 * the claim lasts to the longest {@code stream_max_s} (found by redteam4: it lasted the deadline plus 60 s).
 */
class WallClockStepEndToEndTest {
  private static final String JSON = "application/json";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  private void start(String targetExtras) {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + "deadline_ms: 5000\n" + targetExtras)
        .indent(4)).clock(clock, scheduler));
  }

  /** Waits until {@code duplicate} waits on the scheduler, or ended, or went upstream; asserts that it waits. */
  private void assertWaits(CompletableFuture<Res> duplicate, String path) {
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() >= 1 || duplicate.isDone()
        || e2e.up().count(path) > 1);
    assertThat(duplicate).as("the duplicate waits for the live leader").isNotDone();
    assertThat(e2e.up().count(path)).isEqualTo(1);
  }

  private static void assertReplayed(Res answer, int status, String body) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.body()).isEqualTo(body);
    assertThat(answer.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"idempotency: {forward_header: X-Dedupe-Id}", "idempotency: {}"})
  void aWallClockSteppedPastTheLeaseLeavesALiveLeadersDuplicateWaitingForItsAnswer(String idempotency) {
    start(idempotency);
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    e2e.up().script("POST /pay", held::complete);

    CompletableFuture<Res> leader = post("/t/api/pay", "k-step");
    held.join();
    clock.stepWallClock(Duration.ofHours(1));
    CompletableFuture<Res> duplicate = post("/t/api/pay", "k-step");
    assertWaits(duplicate, "/pay");

    held.join().request().response().setStatusCode(201).putHeader("Content-Type", JSON).end("{\"paid\":1}");
    assertThat(leader.join().status()).isEqualTo(201);
    assertReplayed(duplicate.join(), 201, "{\"paid\":1}");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"idempotency: {forward_header: X-Dedupe-Id}", "idempotency: {}"})
  void aBodyStreamingPastTheDeadlineKeepsItsKeyUntilItEnds(String idempotency) {
    start("stream_max_s: 600\n" + idempotency);
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    e2e.up().script("POST /export", call -> {
      call.request().response().setChunked(true).putHeader("Content-Type", "text/csv").write("a,b\n");
      held.complete(call);
    });

    CompletableFuture<Res> leader = post("/t/api/export", "k-long");
    held.join();
    // The body is still streaming, well within stream_max_s, past the deadline and the claim's grace.
    scheduler.advance(Duration.ofSeconds(70));
    CompletableFuture<Res> duplicate = post("/t/api/export", "k-long");
    assertWaits(duplicate, "/export");

    held.join().request().response().end("1,2\n");
    assertThat(leader.join().status()).isEqualTo(200);
    assertThat(leader.join().body()).isEqualTo("a,b\n1,2\n");
    assertReplayed(duplicate.join(), 200, "a,b\n1,2\n");
    assertThat(e2e.up().count("/export")).isEqualTo(1);
  }

  private CompletableFuture<Res> post(String path, String key) {
    return e2e.gw().http.postAsync(path, "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", JSON);
  }
}
