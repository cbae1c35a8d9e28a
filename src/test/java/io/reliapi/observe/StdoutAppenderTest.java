package io.reliapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.EchoEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StdoutAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StdoutAppender appender = new StdoutAppender();

  @BeforeEach
  void start() {
    EchoEncoder<ILoggingEvent> encoder = new EchoEncoder<>();
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutput(out);
    appender.start();
  }

  @AfterEach
  void stop() {
    appender.stop();
  }

  @Test
  void writesEveryLineInOrder() {
    for (int i = 0; i < 1000; i++) {
      appender.doAppend(event("line " + i));
    }
    eventually(() -> written().contains("line 999"));
    String text = written();
    assertThat(text.indexOf("line 0\n")).isLessThan(text.indexOf("line 500\n"));
    assertThat(text.lines().count()).isEqualTo(1000);
  }

  @Test
  void anIdleWriterSleepsWithoutADeadlineAndTheNextLineWakesIt() {
    appender.doAppend(event("first"));
    eventually(() -> written().contains("first"));
    // Parked without a timeout: nothing wakes the writer until there is something to write.
    eventually(() -> appender.writerThread().getState() == Thread.State.WAITING);

    appender.doAppend(event("after a quiet spell"));

    eventually(() -> written().contains("after a quiet spell"));
  }

  @Test
  void stoppingWritesWhatIsStillQueued() {
    eventually(() -> appender.writerThread().getState() == Thread.State.WAITING);
    for (int i = 0; i < 100; i++) {
      appender.doAppend(event("queued " + i));
    }
    appender.stop();
    assertThat(written()).contains("queued 99");
    assertThat(appender.writerThread().isAlive()).isFalse();
  }

  private String written() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private ILoggingEvent event(String message) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerContext(context);
    event.setLevel(Level.INFO);
    event.setLoggerName("test");
    event.setMessage(message);
    event.setTimeStamp(0);
    event.setThreadName("test");
    event.setMDCPropertyMap(java.util.Map.of());
    return event;
  }

  /** Waits for a condition the writer thread brings about; fails after five seconds. */
  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached within 5 s").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
