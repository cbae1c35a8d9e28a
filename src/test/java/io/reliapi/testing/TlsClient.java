package io.reliapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of a test of the gateway's HTTPS listener: what a client trusts (a test CA's certificate) and, for
 * mutual TLS, the certificate it shows (a PKCS#12 bundle {@link TestCertificates#pkcs12} made). Gives a JDK
 * {@link HttpClient} (HTTP/1.1) or the parts the OpenAI SDK's OkHttp client takes.
 */
public record TlsClient(SSLContext context, X509TrustManager trustManager) {
  public static final char[] PASSWORD = "test".toCharArray();

  /** Trusts only {@code caCert}; shows no certificate. */
  public static TlsClient trusting(Path caCert) {
    return create(caCert, null);
  }

  /** Trusts only {@code caCert}; shows the certificate and key in {@code pkcs12} (password {@link #PASSWORD}). */
  public static TlsClient create(Path caCert, Path pkcs12) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      try (InputStream in = Files.newInputStream(caCert)) {
        trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      KeyManagerFactory keys = null;
      if (pkcs12 != null) {
        KeyStore own = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
          own.load(in, PASSWORD);
        }
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return new TlsClient(context, (X509TrustManager) trust.getTrustManagers()[0]);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build the test client's TLS context", e);
    }
  }

  /** A JDK client speaking HTTP/1.1 over this context; each call makes a new one (a connection pool of its own). */
  public HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .sslContext(context).build();
  }

  /** A {@link TestHttp} to the gateway on {@code port} over HTTPS. */
  public TestHttp to(int port) {
    return new TestHttp("https://127.0.0.1:" + port, http());
  }
}
