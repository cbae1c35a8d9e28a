package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A capture must see every line logged after it opened, whatever other threads log meanwhile: an event loop
 * often writes the previous request's access line just as the next test opens its capture. Logback's own
 * appender list can lose an appender added while another thread logs (its cached copy goes stale), so a
 * capture must not be attached to a logger while the process runs.
 */
class LogCaptureTest {
  private static final int ROUNDS = 50_000;
  private static final int NOISY_THREADS = 3;

  /** A context set up the way logback-test.xml sets up the process-wide one. */
  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    CapturingAppender capturing = new CapturingAppender();
    capturing.setName(CapturingAppender.NAME);
    capturing.setContext(context);
    capturing.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capturing);
    return context;
  }

  @Test
  void aCaptureOpenedWhileOtherThreadsLogSeesEveryLineLoggedAfterItOpened() throws Exception {
    LoggerContext context = configured();
    Logger noise = context.getLogger("reliapi.test.noise");
    Logger marker = context.getLogger("reliapi.test.marker");
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> noisy = new ArrayList<>();
    for (int t = 0; t < NOISY_THREADS; t++) {
      noisy.add(Thread.ofPlatform().name("noise-" + t).start(() -> {
        while (!done.get()) {
          noise.info("noise");
        }
      }));
    }
    int missed = 0;
    try {
      for (int i = 0; i < ROUNDS; i++) {
        try (LogCapture capture = LogCapture.capture(context)) {
          marker.info("marker");
          if (capture.lines().stream().noneMatch(line -> line.contains("\"msg\":\"marker\""))) {
            missed++;
          }
        }
      }
    } finally {
      done.set(true);
      for (Thread thread : noisy) {
        thread.join();
      }
    }
    assertThat(missed).as("captures that missed a line logged after they opened, of %d", ROUNDS).isZero();
  }

  @Test
  void aClosedCaptureTakesNoMoreLines() {
    LoggerContext context = configured();
    Logger logger = context.getLogger("reliapi.test.closed");
    LogCapture capture = LogCapture.capture(context);
    logger.info("before close");
    capture.close();
    logger.info("after close");

    assertThat(capture.lines()).hasSize(1).allMatch(line -> line.contains("\"msg\":\"before close\""));
  }

  @Test
  void theProcessWideContextIsSetUpForCaptures() {
    try (LogCapture capture = LogCapture.capture()) {
      org.slf4j.LoggerFactory.getLogger("reliapi.test.global").info("seen");

      assertThat(capture.lines()).anyMatch(line -> line.contains("\"msg\":\"seen\""));
    }
  }
}
