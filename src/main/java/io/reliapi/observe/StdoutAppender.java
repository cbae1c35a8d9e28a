package io.reliapi.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to stdout from one background thread, in batches: a request thread only adds the event
 * to a lock-free queue (never blocks, never does I/O), and the writer wakes every {@value #FLUSH_INTERVAL_MS}
 * ms to encode everything queued and flush it with one write. Waking the writer for every line cost a thread
 * hand-off and a system call per request. A writer that found nothing to write sleeps until the next line
 * instead (whose thread then wakes it, once), so an idle gateway does not wake two hundred times a second. The
 * interval is short because a line waiting in the queue when a young collection comes is copied by it: at 20 ms
 * the queued lines were a fifth of what each collection copied under load. When
 * stdout stalls and the queue holds {@code queueSize} lines, new lines are dropped and counted; the count is
 * reported in a line of its own once the writer catches up.
 */
public final class StdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final int BATCH = 4096;
  static final long FLUSH_INTERVAL_MS = 5;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 32768;
  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  /** Set while the writer sleeps without a deadline; the first line after that wakes it. */
  private final AtomicBoolean asleep = new AtomicBoolean();
  private final LineBytes text = new LineBytes(1 << 16);
  private Thread writer;
  private volatile boolean running;
  private OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

  Thread writerThread() {
    return writer;
  }

  /** Writes somewhere other than stdout (tests); call before {@link #start()}. */
  void setOutput(OutputStream out) {
    this.out = out;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("StdoutAppender needs an encoder");
      return;
    }
    running = true;
    writer = Thread.ofPlatform().daemon().name("reliapi-log-writer").start(this::drainLoop);
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (queued.incrementAndGet() > queueSize) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    if (!(encoder instanceof JsonLineEncoder)) {
      // Our encoder writes neither the thread's name nor the MDC, and formats the message itself on the
      // writer thread; another encoder may need them taken here, on the logging thread.
      event.prepareForDeferredProcessing();
    }
    queue.add(event);
    if (asleep.get() && asleep.compareAndSet(true, false)) {
      LockSupport.unpark(writer);
    }
  }

  private void drainLoop() {
    List<ILoggingEvent> batch = new ArrayList<>(BATCH);
    boolean idle = false;
    while (running || !queue.isEmpty()) {
      ILoggingEvent next;
      while (batch.size() < BATCH && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (!batch.isEmpty()) {
        queued.addAndGet(-batch.size());
        write(batch);
        batch.clear();
        continue;
      }
      if (dropped.get() > 0) {
        write(batch);
      }
      if (idle) {
        sleepUntilNextLine();
      } else {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS));
      }
      idle = queue.isEmpty();
    }
  }

  /** Parks without a deadline; a line queued after {@code asleep} was set (or before it) ends the sleep. */
  private void sleepUntilNextLine() {
    asleep.set(true);
    // A line queued between the last poll and setting the flag did not wake anyone: look once more.
    while (running && queue.isEmpty() && asleep.get()) {
      LockSupport.park(this);
    }
    asleep.set(false);
  }

  private void write(List<ILoggingEvent> batch) {
    try {
      if (encoder instanceof JsonLineEncoder lines) {
        // The whole batch encoded into one buffer, written with one call.
        text.clear();
        for (ILoggingEvent event : batch) {
          lines.encodeTo(event, text);
        }
        text.writeTo(out);
      } else {
        for (ILoggingEvent event : batch) {
          out.write(encoder.encode(event));
        }
      }
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        out.write(("{\"level\":\"WARN\",\"logger\":\"reliapi.log\",\"msg\":\"log lines dropped because stdout was too slow\",\"dropped\":"
            + lost + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out.flush();
    } catch (IOException e) {
      addError("cannot write log lines to stdout");
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.stop();
  }
}
