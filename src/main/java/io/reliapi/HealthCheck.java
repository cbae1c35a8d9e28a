package io.reliapi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container health probe that needs nothing but the JRE: exits 0 when {@code /healthz} answers 200.
 * (The JRE image has no curl.)
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    System.exit(healthy(args.length > 0 ? args[0] : "http://127.0.0.1:8000/healthz") ? 0 : 1);
  }

  /** Returns whether {@code url} answers 200 within two seconds. */
  static boolean healthy(String url) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
