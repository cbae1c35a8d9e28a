package io.reliapi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A container health probe that needs nothing but the JRE: exits 0 when {@code /healthz} answers 200.
 * (The JRE image has no curl.) With {@code server.tls} on, an {@code http://} URL that gets no answer is tried again
 * as {@code https://}, so one HEALTHCHECK line serves both listeners. Over HTTPS the probe checks that the gateway is
 * alive, not who it is (like {@code curl -k}): it accepts any certificate and sends nothing secret. A listener with
 * {@code client_auth: require} refuses it (it has no client certificate); see docs/operations.md.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    // Read when the JDK's client is first made: the probe dials an address, not the certificate's name. (Set here,
    // not in probe: in a JVM that also makes other clients, it would turn their checks off too.)
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    System.exit(healthy(args.length > 0 ? args[0] : "http://127.0.0.1:8000/healthz") ? 0 : 1);
  }

  /** Returns whether {@code url} (or, when it is http:// and gets no answer, its https:// twin) answers 200. */
  static boolean healthy(String url) {
    Answer plain = probe(url);
    if (plain == Answer.NO_ANSWER && url.startsWith("http://")) {
      return probe("https://" + url.substring("http://".length())) == Answer.OK;
    }
    return plain == Answer.OK;
  }

  private enum Answer { OK, NOT_OK, NO_ANSWER }

  /** Asks {@code url} once, within two seconds. */
  private static Answer probe(String url) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (url.startsWith("https://")) {
      builder.sslContext(anyCertificate());
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    try (HttpClient client = builder.build()) {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? Answer.OK : Answer.NOT_OK;
    } catch (java.io.IOException e) {
      return Answer.NO_ANSWER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.NO_ANSWER;
    }
  }

  private static SSLContext anyCertificate() {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JRE", e);
    }
  }
}
