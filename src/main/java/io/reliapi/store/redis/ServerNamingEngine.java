package io.reliapi.store.redis;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.reliapi.config.ServerNameIndication;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.DefaultSslContextFactory;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The JDK TLS engine of the Redis connections, naming the host it connects to (SNI) wherever
 * {@link ServerNameIndication} says so. The Redis client connects without a server name (unlike Vert.x's HTTP
 * client, it has no {@code forceSni}), so the JDK would name only dotted hosts; this names each engine's peer host
 * as it is made, for the seed URLs, the cluster nodes and the primary a Sentinel names alike.
 */
final class ServerNamingEngine extends SSLEngineOptions {
  @Override
  public ServerNamingEngine copy() {
    return new ServerNamingEngine();
  }

  /** Vert.x's factory of JDK contexts, as {@code JdkSSLEngineOptions} has it, whose engines name their peer. */
  @Override
  public SslContextFactory sslContextFactory() {
    return new DefaultSslContextFactory(SslProvider.JDK, false) {
      @Override
      public SslContext create() throws SSLException {
        return new DelegatingSslContext(super.create()) {
          @Override
          protected void initEngine(SSLEngine engine) {
            nameThePeer(engine);
          }
        };
      }
    };
  }

  /** Names {@code engine}'s peer host unless the engine already names a server or the host is no name. */
  static void nameThePeer(SSLEngine engine) {
    String host = engine.getPeerHost();
    SSLParameters parameters = engine.getSSLParameters();
    if (host == null || !ServerNameIndication.names(host)
        || parameters.getServerNames() != null && !parameters.getServerNames().isEmpty()) {
      return;
    }
    parameters.setServerNames(List.of(new SNIHostName(host)));
    engine.setSSLParameters(parameters);
  }
}
