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

  /**
   * Watches {@code file}, whose state when the running config was read is {@code loadedStamp} (from
   * {@link #stamp(Path)}, taken before the gateway started, so no change after it is missed).
   */
  ConfigWatcher(Vertx vertx, Scheduler scheduler, Path file, String loadedStamp, Consumer<String> reload) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.file = file;
    this.seen = loadedStamp;
    this.reload = reload;
  }

  void start() {
    schedule();
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
    String now = stamp(file);
    if (now != null && !now.equals(seen)) {
      seen = now;
      reload.accept("watch");
    }
  }

  /** Returns the file's modification time and size, or null while it cannot be read (being replaced, say). */
  static String stamp(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.lastModifiedTime().toMillis() + ":" + attributes.size();
    } catch (IOException e) {
      return null;
    }
  }
}
