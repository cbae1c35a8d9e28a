package io.reliapi;

import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.time.VertxScheduler;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * What a gateway runs on besides its config: the clock, the scheduler and the number of event loops.
 * Tests swap in a manual clock and scheduler; production uses the system clock and Vert.x timers.
 */
public record GatewayOptions(Clock clock, Function<Vertx, Scheduler> scheduler, int eventLoops) {

  public static GatewayOptions production() {
    return new GatewayOptions(Clock.system(), VertxScheduler::new, Runtime.getRuntime().availableProcessors());
  }

  public GatewayOptions withEventLoops(int eventLoops) {
    return new GatewayOptions(clock, scheduler, eventLoops);
  }
}
