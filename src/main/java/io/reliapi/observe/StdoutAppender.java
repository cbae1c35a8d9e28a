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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes log lines to stdout from one background thread, in batches: a request thread only queues the
 * event (never blocks, never does I/O), and the writer encodes everything queued and flushes once per
 * batch instead of once per line. When stdout stalls and the queue is full, new lines are dropped and
 * counted; the count is reported in a line of its own once the writer catches up.
 */
public final class StdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final int BATCH = 1024;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 32768;
  private BlockingQueue<ILoggingEvent> queue;
  private final AtomicLong dropped = new AtomicLong();
  private Thread writer;
  private volatile boolean running;
  private OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

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
    queue = new ArrayBlockingQueue<>(queueSize);
    running = true;
    writer = Thread.ofPlatform().daemon().name("reliapi-log-writer").start(this::drainLoop);
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  private void drainLoop() {
    List<ILoggingEvent> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        ILoggingEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
        batch.clear();
      } catch (InterruptedException e) {
        running = false;
      }
    }
  }

  private void write(List<ILoggingEvent> batch) {
    try {
      for (ILoggingEvent event : batch) {
        out.write(encoder.encode(event));
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
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.stop();
  }
}
