package io.reliapi.arch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The timer rule of {@link HouseRulesTest} catches every way a class can start a timer of its own, not only
 * {@code Vertx.setTimer}: a context's timer, a Netty event loop's {@code schedule}, a scheduled executor made
 * directly. Each violator below is imported alone and must break the rule.
 */
class TimerRuleTest {

  private static JavaClasses only(Class<?> type) {
    return new ClassFileImporter().importClasses(type);
  }

  @Test
  void aVertxTimerBreaksTheRule() {
    assertThatThrownBy(() -> HouseRulesTest.timersGoThroughTheScheduler.check(only(VertxTimer.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aContextsTimerBreaksTheRule() {
    assertThatThrownBy(() -> HouseRulesTest.timersGoThroughTheScheduler.check(only(ContextTimer.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void anEventLoopsScheduleBreaksTheRule() {
    assertThatThrownBy(() -> HouseRulesTest.timersGoThroughTheScheduler.check(only(EventLoopSchedule.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aScheduledExecutorMadeDirectlyBreaksTheRule() {
    assertThatThrownBy(() -> HouseRulesTest.timersGoThroughTheScheduler.check(only(OwnExecutor.class)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aClassThatStartsNoTimerKeepsTheRule() {
    assertThatCode(() -> HouseRulesTest.timersGoThroughTheScheduler.check(only(NoTimer.class)))
        .doesNotThrowAnyException();
  }

  static final class VertxTimer {
    void start(Vertx vertx) {
      vertx.setTimer(10, id -> {});
    }
  }

  static final class ContextTimer {
    void start(ContextInternal context) {
      context.setTimer(10, id -> {});
    }
  }

  static final class EventLoopSchedule {
    void start(EventLoop loop) {
      loop.schedule(() -> {}, 10, TimeUnit.MILLISECONDS);
    }
  }

  static final class OwnExecutor {
    Object start() {
      return new ScheduledThreadPoolExecutor(1);
    }
  }

  static final class NoTimer {
    void start(Vertx vertx) {
      vertx.runOnContext(v -> {});
    }
  }
}
