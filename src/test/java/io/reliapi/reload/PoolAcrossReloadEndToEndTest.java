package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_connections} lowered by a reload while calls hold every connection: the connection pool is the
 * target's config, so the new config gets a new pool of the new size, and the old pool's connections stay open
 * until the calls that started on the old config end, then close. Meanwhile the upstream sees the old calls plus
 * the new pool's: what is documented, and why a limit that must hold across a reload is the {@code concurrency}
 * block ({@link ConcurrencyAcrossReloadEndToEndTest}). One event loop, so one pool.
 */
class PoolAcrossReloadEndToEndTest {
  @TempDir
  Path dir;
  private final MockUpstream up = MockUpstream.start();
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();
  private ReloadableGateway gw;

  @AfterEach
  void stop() {
    held.forEach(call -> call.request().connection().close());
    if (gw != null) {
      gw.close();
    }
    up.close();
  }

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
  void aLoweredPoolServesTheNewConfigWhileTheOldPoolsConnectionsFinishTheirCallsThenClose() throws Exception {
    up.otherwise("GET /work", held::add);
    gw = ReloadableGateway.startOnOneLoop(dir, config(2, ""));
    CompletableFuture<Res> a = send(1);
    CompletableFuture<Res> b = send(2);

    gw.reload(config(1, ""));
    CompletableFuture<Res> c = send(3);
    assertThat(up.openConnections()).isEqualTo(3);
    // The new pool's one connection is taken: the next call waits briefly for it, then is refused.
    Res refused = gw.http.get("/t/api/work");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.body()).contains("OVERLOADED");
    assertThat(held).hasSize(3);

    answerAll(a, b, c);
    await().atMost(Duration.ofSeconds(5)).until(() -> up.openConnections() == 1);
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
