package io.reliapi;

import io.reliapi.admin.ReloadOutcome;
import io.reliapi.config.ConfigException;
import io.reliapi.config.RestartOnly;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.server.Snapshot;
import io.reliapi.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config: reads and validates it again from its source, refuses it (loudly: a log line per
 * problem, the reloads metric, the admin API's last reload) when it is bad or changes a restart-only key,
 * and otherwise publishes a new {@link Snapshot} through the one reference every request reads. One reload
 * at a time; it reads a file, so it never runs on an event loop.
 */
final class Reloader {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

  private final ConfigSource source;
  private final AtomicReference<Snapshot> current;
  private final BiFunction<LoadedConfig, Snapshot, Snapshot> build;
  private final Clock clock;
  private final GatewayEvents events;
  private volatile ReloadOutcome last;

  Reloader(ConfigSource source, AtomicReference<Snapshot> current, BiFunction<LoadedConfig, Snapshot, Snapshot> build,
      Clock clock, GatewayEvents events) {
    this.source = source;
    this.current = current;
    this.build = build;
    this.clock = clock;
    this.events = events;
    Snapshot running = current.get();
    this.last = new ReloadOutcome("reloaded", "startup", running.loadedAtMillis(), running.version(),
        running.digest(), List.of());
  }

  /** Returns how the last reload (or the startup load) ended. */
  ReloadOutcome last() {
    return last;
  }

  /** Reloads now; {@code trigger} says who asked (admin, sighup, watch). Blocking. */
  synchronized ReloadOutcome reload(String trigger) {
    Snapshot running = current.get();
    ReloadOutcome outcome;
    try {
      LoadedConfig loaded = source.load();
      List<String> restart = RestartOnly.changes(running.config(), loaded.config());
      if (!restart.isEmpty()) {
        throw new ConfigException(restart);
      }
      // The digest covers the file's text only; the targets' and the listener's PEM files were read with it, so a
      // certificate replaced in place shows as a changed target or server.tls.
      if (loaded.digest().equals(running.digest()) && loaded.config().targets().equals(running.config().targets())
          && loaded.config().server().tls().equals(running.config().server().tls())) {
        outcome = new ReloadOutcome("unchanged", trigger, clock.epochMillis(), running.version(), running.digest(),
            List.of());
      } else {
        Snapshot next = build.apply(loaded, running);
        current.set(next);
        outcome = new ReloadOutcome("reloaded", trigger, next.loadedAtMillis(), next.version(), next.digest(), List.of());
        LOG.info("Config reloaded ({}): version {} digest {}", trigger, next.version(), next.digest());
      }
    } catch (ConfigException e) {
      outcome = new ReloadOutcome("refused", trigger, clock.epochMillis(), running.version(), running.digest(),
          e.problems());
      // Only the key paths: a value could be an upstream address. The admin API shows the whole lines.
      LOG.error("Config reload ({}) refused; version {} keeps running. Problems at: {}", trigger,
          running.version(), String.join(", ", e.problems().stream().map(Reloader::keyPath).toList()));
    }
    events.configReload(outcome.result());
    last = outcome;
    return outcome;
  }

  private static String keyPath(String problem) {
    int colon = problem.indexOf(": ");
    return colon < 0 ? "config" : problem.substring(0, colon);
  }
}
