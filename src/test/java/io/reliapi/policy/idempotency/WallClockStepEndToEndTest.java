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
 * The wall clock stepped forward (an NTP step, a VM resumed from suspend) while a keyed request's upstream call
 * runs, with the in-memory store: the leader is alive, so its claim must neither be taken over (a second upstream
 * call) nor answered "outcome unknown". In memory a claim's lease is judged by the monotonic clock, which a step
 * does not move (docs/guides/idempotency.md, the decision on the monotonic clock).
 */
class WallClockStepEndToEndTest {
  private static final String JSON = "application/json";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @ParameterizedTest
  @ValueSource(strings = {"idempotency: {forward_header: X-Dedupe-Id}", "idempotency: {}"})
  void aWallClockSteppedPastTheLeaseLeavesALiveLeadersDuplicateWaitingForItsAnswer(String idempotency) {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + "deadline_ms: 5000\n" + idempotency)
        .indent(4)).clock(clock, scheduler));
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    e2e.up().script("POST /pay", held::complete);

    CompletableFuture<Res> leader = post("k-step");
    held.join();
    clock.stepWallClock(Duration.ofHours(1));
    CompletableFuture<Res> duplicate = post("k-step");
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1 || duplicate.isDone()
        || e2e.up().count("/pay") > 1);
    assertThat(duplicate).as("the duplicate waits for the live leader").isNotDone();
    assertThat(e2e.up().count("/pay")).isEqualTo(1);

    held.join().request().response().setStatusCode(201).putHeader("Content-Type", JSON).end("{\"paid\":1}");
    assertThat(leader.join().status()).isEqualTo(201);
    Res answer = duplicate.join();
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.body()).isEqualTo("{\"paid\":1}");
    assertThat(answer.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  private CompletableFuture<Res> post(String key) {
    return e2e.gw().http.postAsync("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", JSON);
  }
}
