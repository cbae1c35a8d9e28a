package io.reliapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * The gateway's logging, set up in code: one JSON object per line on stdout (SPEC §6) through the asynchronous
 * {@link StdoutAppender}. Logback found by the service loader before it looks for an XML file; reading one loads
 * an XML parser and Joran's model classes (about 390 classes, loaded in every start). A file named by
 * {@code -Dlogback.configurationFile} still wins (the tests name theirs): this configurator then steps aside.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** Lines queued for the writer before new ones are dropped (and counted). */
  static final int QUEUE_SIZE = 32_768;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    toStdout(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static void toStdout(LoggerContext context) {
    context.getStatusManager().add(new NopStatusListener());
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    StdoutAppender stdout = new StdoutAppender();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setQueueSize(QUEUE_SIZE);
    stdout.setEncoder(encoder);
    stdout.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stdout);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.WARN);
    // The Redis client's own lines may repeat a reply (a cached answer) or a node's address; the gateway logs
    // Redis' state itself (store.redis.RedisHealth, ReplicaAcks).
    context.getLogger("io.vertx.redis").setLevel(Level.OFF);
  }
}
