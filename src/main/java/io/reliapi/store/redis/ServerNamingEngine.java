package io.reliapi.store.redis;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.reliapi.config.ServerNameIndication;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

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

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(new JdkSSLEngineOptions().sslContextFactory());
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

  /** Vert.x's factory, with every context it makes naming the peer of its engines. */
  private record Factory(SslContextFactory delegate) implements SslContextFactory {
    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      delegate.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      delegate.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      delegate.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      delegate.keyMananagerFactory(kmf);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      delegate.trustManagerFactory(tmf);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
      delegate.enabledCipherSuites(enabledCipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
      delegate.applicationProtocols(applicationProtocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      delegate.serverName(serverName);
      return this;
    }

    @Override
    public SslContext create() throws javax.net.ssl.SSLException {
      return new DelegatingSslContext(delegate.create()) {
        @Override
        protected void initEngine(SSLEngine engine) {
          nameThePeer(engine);
        }
      };
    }
  }
}
