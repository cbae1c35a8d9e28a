package io.reliapi.server;

import static io.reliapi.server.HangUpEndToEndTest.soon;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that wait for the only connection of a full pool ({@code max_connections: 1}, one event loop) and whose
 * clients hang up: they leave nothing behind in the pool. The next request is served on the connection the held
 * call used (no connection is closed or opened for a request that is gone), and hung-up waiters, however many,
 * never make the pool refuse a request that may wait.
 */
class PoolWaiterHangUpEndToEndTest {
  private static final EveryRoute ROUTE = EveryRoute.PASS_THROUGH;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    e2e.start(GatewayHarness.yaml("targets:\n" + EveryRoute.targets(e2e.up().baseUrl(), "pool",
        TestYaml.ONE_ATTEMPT + "max_connections: 1\n", "")).eventLoops(1));
    EveryRoute.hold(e2e.up(), held, "pool");
  }

  @AfterEach
  void stop() {
    EveryRoute.letGo(held);
  }

  /** Sends a request for the held connection whose client hangs up once the gateway serves it. */
  private void aWaiterHangsUp() {
    try (HangingClient waiter = HangingClient.send(e2e.gw().port(), ROUTE, "pool")) {
      soon(5).until(() -> e2e.gw().gateway().inFlight() == 2);
    }
    soon(5).until(() -> e2e.gw().gateway().inFlight() == 1);
  }

  @Test
  void theNextRequestAfterAWaiterHungUpIsServedOnTheHeldCallsConnection() {
    CompletableFuture<Res> holder = ROUTE.callAsync(e2e.gw().http, "pool");
    soon(5).until(() -> held.size() == 1);
    aWaiterHangsUp();
    ROUTE.answer().respond(held.poll());
    assertThat(ROUTE.completed(holder.join())).isTrue();

    EveryRoute.serve(e2e.up(), "pool", 0);
    Res next = ROUTE.call(e2e.gw().http, "pool");
    assertThat(ROUTE.completed(next)).as(next.body()).isTrue();
    assertThat(e2e.up().connectionsOpened()).as("one connection served the held call and the next").isEqualTo(1);
    assertThat(e2e.up().openConnections()).isEqualTo(1);
  }

  @Test
  void hungUpWaitersDoNotFillThePoolsWaitQueue() {
    CompletableFuture<Res> holder = ROUTE.callAsync(e2e.gw().http, "pool");
    soon(5).until(() -> held.size() == 1);
    // As many as the pool's wait queue holds (twice its connections), one after another.
    aWaiterHangsUp();
    aWaiterHangsUp();
    aWaiterHangsUp();

    // The next request may wait for the connection: it waits, and is served as soon as the held call ends.
    CompletableFuture<Res> next = ROUTE.callAsync(e2e.gw().http, "pool");
    soon(2).until(() -> e2e.gw().gateway().inFlight() == 2 || next.isDone());
    EveryRoute.serve(e2e.up(), "pool", 0);
    ROUTE.answer().respond(held.poll());
    assertThat(ROUTE.completed(holder.join())).isTrue();
    Res answered = next.join();
    assertThat(ROUTE.completed(answered)).as(answered.body()).isTrue();
    assertThat(e2e.up().connectionsOpened()).isEqualTo(1);
  }
}
