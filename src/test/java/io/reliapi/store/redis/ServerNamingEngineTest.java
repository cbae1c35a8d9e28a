package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The server name a Redis connection's handshake indicates, set on the JDK engine made for its peer. */
class ServerNamingEngineTest {
  private static SSLEngine engineFor(String host) throws NoSuchAlgorithmException {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 6380);
    engine.setUseClientMode(true);
    return engine;
  }

  private static List<SNIServerName> named(SSLEngine engine) {
    return engine.getSSLParameters().getServerNames();
  }

  @Test
  void namesASingleLabelHostTheJdkWouldLeaveNameless() throws NoSuchAlgorithmException {
    SSLEngine engine = engineFor("redis");
    assertThat(named(engine)).as("the JDK alone").isNullOrEmpty();

    ServerNamingEngine.nameThePeer(engine);

    assertThat(named(engine)).containsExactly(new SNIHostName("redis"));
  }

  @Test
  void keepsTheNameADottedHostAlreadyHas() throws NoSuchAlgorithmException {
    SSLEngine engine = engineFor("redis.internal");

    ServerNamingEngine.nameThePeer(engine);

    assertThat(named(engine)).containsExactly(new SNIHostName("redis.internal"));
  }

  @Test
  void neverNamesAnAddress() throws NoSuchAlgorithmException {
    SSLEngine engine = engineFor("127.0.0.1");

    ServerNamingEngine.nameThePeer(engine);

    assertThat(named(engine)).isNullOrEmpty();
  }
}
