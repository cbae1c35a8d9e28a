package io.reliapi;

import io.reliapi.time.Scheduler;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * {@code server.watch_config}: looks at the config file's modification time and size every
 * {@value #INTERVAL_MS} ms (a timer on the {@link Scheduler}, the look itself on a worker thread, as it
 * touches the file system) and asks for a reload when they change. The reload compares the file's digest,
 * so a touch without a change of text reloads nothing.
 */
final class ConfigWatcher {
  static final long INTERVAL_MS = 2_000;

  private final Vertx vertx;
  private final Scheduler scheduler;
  private final Path file;
  private final Consumer<String> reload;
  private String seen;
  private volatile Scheduler.Cancellable next;
  private volatile boolean stopped;

  ConfigWatcher(Vertx vertx, Scheduler scheduler, Path file, Consumer<String> reload) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.file = file;
    this.reload = reload;
  }

  void start() {
    vertx.executeBlocking(() -> {
      seen = stamp();
      return null;
    }).onComplete(done -> schedule());
  }

  void stop() {
    stopped = true;
    Scheduler.Cancellable pending = next;
    if (pending != null) {
      pending.cancel();
    }
  }

  private void schedule() {
    if (!stopped) {
      next = scheduler.schedule(INTERVAL_MS, () -> vertx.executeBlocking(() -> {
        look();
        return null;
      }, false).onComplete(done -> schedule()));
    }
  }

  private void look() {
    String now = stamp();
    if (now != null && !now.equals(seen)) {
      seen = now;
      reload.accept("watch");
    }
  }

  /** Returns the file's modification time and size, or null while it cannot be read (being replaced, say). */
  private String stamp() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.lastModifiedTime().toMillis() + ":" + attributes.size();
    } catch (IOException e) {
      return null;
    }
  }
}
