package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code max_connections} changed by a reload while calls hold connections: the new config gets a new pool of the
 * new size, but its places are the target's on the event loop, kept across the reload, so the attempts of the new
 * config count the connections the old config's calls still hold. Lowered, no new call reaches the upstream until
 * the old calls fit under the new bound (an attempt finding no room waits briefly, then is refused with
 * {@code OVERLOADED}); raised, the new room is there at once. The old pool's connections close once the calls that
 * started on the old config end. One event loop, so one pool.
 */
class PoolAcrossReloadEndToEndTest extends AcrossReload {

  private String config(int maxConnections, String extras) {
    return "server: {drain_timeout_ms: 0}\ntargets:\n  api:\n    base_url: \"" + up.baseUrl() + "\"\n"
        + "    max_connections: " + maxConnections + "\n"
        + "    retry_matrix: {\"5xx\": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}\n" + extras;
  }

  private CompletableFuture<Res> send(int heldAfter) {
    CompletableFuture<Res> res = gw.http.getAsync("/t/api/work");
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == heldAfter);
    return res;
  }

  private void answerAll(CompletableFuture<?>... sent) throws Exception {
    while (!held.isEmpty()) {
      Behavior.json(200, "{}").respond(held.poll());
    }
    CompletableFuture.allOf(sent).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLoweredPoolCountsTheConnectionsTheOldConfigsCallsStillHold() throws Exception {
    up.otherwise("GET /work", held::add);
    gw = ReloadableGateway.startOnOneLoop(dir, config(2, ""));
    CompletableFuture<Res> a = send(1);
    CompletableFuture<Res> b = send(2);

    gw.reload(config(1, ""));
    assertRefusedAsOverloaded();
    assertThat(held).hasSize(2);
    assertThat(up.connectionsOpened()).isEqualTo(2);

    // One old call ended: the other still holds the one place of the new bound.
    Behavior.json(200, "{}").respond(held.poll());
    assertThat(a.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertRefusedAsOverloaded();
    assertThat(held).hasSize(1);

    Behavior.json(200, "{}").respond(held.poll());
    assertThat(b.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    CompletableFuture<Res> c = send(1);
    answerAll(c);
    assertThat(c.get().status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> up.openConnections() == 1);
  }

  @Test
  void aRaisedPoolAdmitsTheNewRoomAtOnce() throws Exception {
    up.otherwise("GET /work", held::add);
    gw = ReloadableGateway.startOnOneLoop(dir, config(1, ""));
    CompletableFuture<Res> a = send(1);

    gw.reload(config(2, ""));
    CompletableFuture<Res> b = send(2);
    assertRefusedAsOverloaded();
    answerAll(a, b);
  }

  /** The next call finds no room: it waits briefly for a place, then is refused; it never reaches the upstream. */
  private void assertRefusedAsOverloaded() {
    int reached = up.count("/work");
    Res refused = gw.http.get("/t/api/work");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.body()).contains("OVERLOADED");
    assertThat(up.count("/work")).isEqualTo(reached);
  }

  @Test
  void withAConcurrencyLimitTheLoweredLimitHoldsAcrossTheReload() throws Exception {
    up.otherwise("GET /work", held::add);
    String limit2 = "    concurrency: {adaptive: false, max: 2, queue_size: 0}\n";
    gw = ReloadableGateway.startOnOneLoop(dir, config(2, limit2));
    CompletableFuture<Res> a = send(1);
    CompletableFuture<Res> b = send(2);

    gw.reload(config(1, limit2.replace("max: 2", "max: 1")));
    Res shed = gw.http.get("/t/api/work");
    assertThat(shed.status()).isEqualTo(503);
    assertThat(shed.body()).contains("OVERLOADED");
    assertThat(up.openConnections()).isEqualTo(2);
    answerAll(a, b);
  }
}
