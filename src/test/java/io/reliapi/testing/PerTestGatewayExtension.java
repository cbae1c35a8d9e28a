package io.reliapi.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh mock upstream for each test, and the gateways that test starts in front of it, registered as
 * {@code @RegisterExtension final PerTestGatewayExtension e2e = new PerTestGatewayExtension()} where each test
 * configures its own gateway: the upstream starts before the class's {@code @BeforeEach} methods; the test starts
 * gateways with {@link #start}; after the class's {@code @AfterEach} methods every gateway it started is closed,
 * newest first, then the upstream. For one gateway shared by a class, see {@link GatewayExtension}.
 */
public final class PerTestGatewayExtension implements BeforeEachCallback, AfterEachCallback {
  private MockUpstream upstream;
  private final List<GatewayHarness> started = new ArrayList<>();

  public MockUpstream up() {
    if (upstream == null) {
      throw new IllegalStateException("the upstream runs only during a test");
    }
    return upstream;
  }

  /** Starts a gateway from {@code builder}; it is closed after the test. */
  public GatewayHarness start(GatewayHarness.Builder builder) {
    GatewayHarness gateway = builder.start();
    started.add(gateway);
    return gateway;
  }

  /** The gateway this test started last. */
  public GatewayHarness gw() {
    if (started.isEmpty()) {
      throw new IllegalStateException("this test started no gateway");
    }
    return started.get(started.size() - 1);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    upstream = MockUpstream.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<AutoCloseable> open = new ArrayList<>(started.reversed());
    if (upstream != null) {
      open.add(upstream);
    }
    started.clear();
    upstream = null;
    Closeables.closeEach(open, "the test's gateways or upstream");
  }
}
