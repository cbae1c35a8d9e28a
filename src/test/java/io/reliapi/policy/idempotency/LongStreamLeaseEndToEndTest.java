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
 * A keyed {@code /t/} answer whose body streams for longer than the request's deadline plus the claim's grace, as
 * the target's {@code stream_max_s} allows, with the in-memory store: the leader is alive until its body ends, so
 * its claim must neither be taken over (a second upstream call while the first still streams) nor answered
 * "outcome unknown". Found by redteam4: the in-memory lease lasted the deadline plus 60 s, whatever
 * {@code stream_max_s} said.
 */
class LongStreamLeaseEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @ParameterizedTest
  @ValueSource(strings = {"idempotency: {forward_header: X-Dedupe-Id}", "idempotency: {}"})
  void aBodyStreamingPastTheDeadlineKeepsItsKeyUntilItEnds(String idempotency) {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + "deadline_ms: 5000\nstream_max_s: 600\n"
        + idempotency).indent(4)).clock(clock, scheduler));
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    e2e.up().script("POST /export", call -> {
      call.request().response().setChunked(true).putHeader("Content-Type", "text/csv").write("a,b\n");
      held.complete(call);
    });

    CompletableFuture<Res> leader = post("k-long");
    held.join();
    // The body is still streaming, well within stream_max_s, past the deadline and the claim's grace.
    scheduler.advance(Duration.ofSeconds(70));
    CompletableFuture<Res> duplicate = post("k-long");
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() >= 1 || duplicate.isDone()
        || e2e.up().count("/export") > 1);
    assertThat(duplicate).as("the duplicate waits for the live leader").isNotDone();
    assertThat(e2e.up().count("/export")).isEqualTo(1);

    held.join().request().response().end("1,2\n");
    assertThat(leader.join().status()).isEqualTo(200);
    assertThat(leader.join().body()).isEqualTo("a,b\n1,2\n");
    Res answer = duplicate.join();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("a,b\n1,2\n");
    assertThat(answer.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/export")).isEqualTo(1);
  }

  private CompletableFuture<Res> post(String key) {
    return e2e.gw().http.postAsync("/t/api/export", "{\"month\":11}", "Idempotency-Key", key,
        "Content-Type", "application/json");
  }
}
