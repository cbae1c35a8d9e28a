package io.reliapi.testing;

import io.reliapi.testing.FailoverMetrics.SequenceItem;
import io.reliapi.testing.FailoverScenario.Sequence;
import io.reliapi.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs failoverbench's scenarios through a system under test (failoverbench's {@code run_scenario}): per
 * scenario, reset the wall, make the call (or S15's sequence of calls) under a hard deadline, read the wall's
 * log, probe the system with a healthy call, evaluate the checks and give the verdict. The system is an
 * OpenAI-compatible endpoint that owns its retries and fallbacks, so only the primary model is named in the
 * call, through {@code modelFormat} (ReliAPI routes {@code s08/fb-s08-stream-cut} to its target {@code s08}).
 */
public final class FailoverRunner {
  /** The alive probe's time limit. */
  static final double ALIVE_PROBE_S = 10;

  private final FaultWall wall;
  private final FailoverClient client;
  private final UnaryOperator<String> modelFormat;
  private final Set<String> capabilities;
  private final Clock clock = Clock.system();

  public FailoverRunner(FaultWall wall, FailoverClient client, UnaryOperator<String> modelFormat,
      Set<String> capabilities) {
    this.wall = wall;
    this.client = client;
    this.modelFormat = modelFormat;
    this.capabilities = capabilities;
  }

  /** ReliAPI's naming of the wall's models: the fault tag ({@code s08}, {@code ok}) as the target, then the model. */
  public static String targetPrefixed(String model) {
    return WallFault.forModel(model).map(f -> f.tag).orElseThrow() + "/" + model;
  }

  /**
   * One healthy call through the system before the first scenario, so that S01 does not also measure a cold
   * start (a JVM gateway loads its tokenizer and warms its code on the first request).
   */
  public FailoverCall warmUp() {
    FailoverCall call = client.call(modelFormat.apply(FailoverScenarios.DEFAULT_FALLBACK), true, ALIVE_PROBE_S);
    wall.reset();
    return call;
  }

  /** Warms the system up, then runs every scenario in order and scores each. */
  public FailoverScorecard runAll(String system, List<FailoverScenario> scenarios) {
    FailoverScorecard card = new FailoverScorecard(system, profile());
    warmUp();
    scenarios.forEach(s -> card.add(run(s)));
    return card;
  }

  public FailoverScorecard.ScenarioResult run(FailoverScenario scenario) {
    String profile = profile();
    wall.reset();
    FailoverMetrics m = scenario.isSequence()
        ? sequence(scenario, scenario.sequence(profile))
        : FailoverMetrics.of(scenario, client.call(modelFormat.apply(scenario.model()), true,
            scenario.maxWallS(profile)), wall.log());
    FailoverCall probe = client.call(modelFormat.apply(FailoverScenarios.DEFAULT_FALLBACK), false, ALIVE_PROBE_S);
    boolean alive = probe.ok() && probe.complete();
    m = m.withAlive(alive, alive ? null : probe.error() != null ? probe.error() : "answer was not the canonical text");
    List<FailoverChecks.Result> checks = new ArrayList<>();
    for (FailoverScenario.Check check : scenario.checks()) {
      checks.add(FailoverChecks.evaluate(check, m, capabilities, profile));
    }
    return new FailoverScorecard.ScenarioResult(scenario, FailoverScorecard.verdictFor(scenario, checks, m), checks, m);
  }

  /** S15: {@code count} calls {@code interval} apart from the reset, across the wall's outage. */
  private FailoverMetrics sequence(FailoverScenario scenario, Sequence sequence) {
    long reset = clock.nanoTime();
    List<SequenceItem> items = new ArrayList<>();
    FailoverCall last = null;
    for (int i = 0; i < sequence.count(); i++) {
      pauseUntil(reset + Math.round(i * sequence.intervalS() * 1e9));
      double sent = seconds(clock.nanoTime() - reset);
      last = client.call(modelFormat.apply(scenario.model()), true, sequence.perRequestMaxWallS());
      items.add(new SequenceItem(i, sent, last.outcome(), last.complete(), last.elapsedS(), last.reportedModel(),
          last.error()));
    }
    return FailoverMetrics.of(scenario, last, wall.log())
        .withSequence(items, seconds(clock.nanoTime() - reset), wall.timing().flapDownS());
  }

  /**
   * Waits for the next request's slot. The fixed cadence is the scenario itself (requests arriving through an
   * outage and a recovery), not a wait for something to happen, so it is a plain pause.
   */
  private void pauseUntil(long nanos) {
    long left = nanos - clock.nanoTime();
    if (left > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted between the sequence's requests", e);
      }
    }
  }

  private String profile() {
    return wall.timing().name();
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1_000_000.0) / 1000.0;
  }
}
