package io.reliapi.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway in front of mock upstreams for a whole test class, registered as
 * {@code @RegisterExtension static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(...))}:
 * it starts the upstreams, then the gateway the test's function configures from them, before the class's own
 * {@code @BeforeAll} methods; resets every upstream before each test (before the class's {@code @BeforeEach}
 * methods, which may script defaults on top); and closes the gateway, then the upstreams, after the class's
 * {@code @AfterAll} methods. When a start fails half-way, what did start is closed before the failure is reported.
 */
public final class GatewayExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final String ONLY = "up";

  private final List<String> names;
  private final Function<Map<String, MockUpstream>, GatewayHarness.Builder> config;
  private final Map<String, MockUpstream> upstreams = new LinkedHashMap<>();
  private GatewayHarness gateway;
  // A @Nested class runs the class callbacks again inside its outer class: only the outermost starts and stops.
  private int depth;

  private GatewayExtension(List<String> names, Function<Map<String, MockUpstream>, GatewayHarness.Builder> config) {
    this.names = List.copyOf(names);
    this.config = config;
  }

  /** A gateway in front of one upstream ({@link #up()}), configured by {@code config} from that upstream. */
  public static GatewayExtension gateway(Function<MockUpstream, GatewayHarness.Builder> config) {
    return new GatewayExtension(List.of(ONLY), upstreams -> config.apply(upstreams.get(ONLY)));
  }

  /** A gateway in front of one upstream per name ({@link #up(String)}), configured by {@code config} from them. */
  public static GatewayExtension gateway(List<String> upstreams,
      Function<Map<String, MockUpstream>, GatewayHarness.Builder> config) {
    return new GatewayExtension(upstreams, config);
  }

  /** The upstream, when there is one. */
  public MockUpstream up() {
    if (names.size() != 1) {
      throw new IllegalStateException("several upstreams " + names + ": name the one with up(name)");
    }
    return up(names.get(0));
  }

  public MockUpstream up(String name) {
    MockUpstream upstream = upstreams.get(name);
    if (upstream == null) {
      throw new IllegalStateException("no upstream " + name + " started; the upstreams are " + names);
    }
    return upstream;
  }

  public GatewayHarness gw() {
    if (gateway == null) {
      throw new IllegalStateException("the gateway is not running");
    }
    return gateway;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (depth++ > 0) {
      return;
    }
    try {
      for (String name : names) {
        upstreams.put(name, MockUpstream.start());
      }
      gateway = config.apply(Map.copyOf(upstreams)).start();
    } catch (RuntimeException | Error e) {
      Closeables.closeEach(takeOpen(), e);
      throw e;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    upstreams.values().forEach(MockUpstream::reset);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--depth > 0) {
      return;
    }
    Closeables.closeEach(takeOpen(), "the class's gateway or upstreams");
  }

  /** The gateway, then every upstream, forgotten here so that they are closed once. */
  private List<AutoCloseable> takeOpen() {
    List<AutoCloseable> open = new ArrayList<>();
    if (gateway != null) {
      open.add(gateway);
    }
    open.addAll(upstreams.values());
    gateway = null;
    upstreams.clear();
    return open;
  }
}
