package io.reliapi.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real redis-server for the tests of a class, emptied before each test and stopped after the last. Register it
 * on a static field: {@code @RegisterExtension static final FlushedRedis redis = new FlushedRedis();}.
 */
public final class FlushedRedis implements BeforeEachCallback, AfterAllCallback {
  private final RedisServer server = RedisServer.start();

  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }

  public String command(String inline) {
    return server.command(inline);
  }

  public int keyCount(String pattern) {
    return server.keyCount(pattern);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.command("FLUSHALL");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }
}
