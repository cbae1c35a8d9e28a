package io.reliapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {
  @Test
  void logsJsonLinesToStdoutFromOneWriterWithTheLibrariesQuieter() {
    LoggerContext context = new LoggerContext();
    try {
      LogSetup.toStdout(context);

      ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getLevel()).isEqualTo(Level.INFO);
      assertThat(root.getAppender("STDOUT")).isInstanceOf(StdoutAppender.class)
          .satisfies(appender -> assertThat(appender.isStarted()).isTrue());
      assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("io.vertx").getLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("io.vertx.redis").getLevel()).isEqualTo(Level.OFF);
    } finally {
      context.stop();
    }
  }

  @Test
  void aConfigurationFileNamedOnTheCommandLineWins() {
    // Surefire names logback-test.xml (pom.xml), as an operator's -Dlogback.configurationFile would.
    assertThat(System.getProperty("logback.configurationFile")).isNotNull();
    LoggerContext context = new LoggerContext();
    try {
      LogSetup setup = new LogSetup();
      setup.setContext(context);

      assertThat(setup.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    } finally {
      context.stop();
    }
  }
}
