package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A real HTTP/1.1 client (the JDK's) with terse helpers for tests. */
public final class TestHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String base;
  private final HttpClient client;

  public TestHttp(String base) {
    this(base, CLIENT);
  }

  /** Talks to {@code base} with {@code client} (e.g. one that trusts a test CA, see {@link TlsClient}). */
  public TestHttp(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  public String url(String path) {
    return base + path;
  }

  public Res get(String path, String... headers) {
    return send(builder(path, headers).GET().build());
  }

  public Res post(String path, String body, String... headers) {
    return send(builder(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Posts {@code body} as the bytes it is, for bodies no Java string encodes (malformed UTF-8, UTF-16). */
  public Res post(String path, byte[] body, String... headers) {
    return send(builder(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public Res method(String method, String path, String body, String... headers) {
    var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return send(builder(path, headers).method(method, publisher).build());
  }

  public CompletableFuture<Res> postAsync(String path, String body, String... headers) {
    return client.sendAsync(builder(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).thenApply(Res::new);
  }

  public CompletableFuture<Res> getAsync(String path, String... headers) {
    return client.sendAsync(builder(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Res::new);
  }

  public HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  public Res send(HttpRequest request) {
    try {
      return new Res(client.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body as text and, on demand, as JSON. */
  public record Res(int status, java.net.http.HttpHeaders headers, String body) {
    Res(HttpResponse<String> response) {
      this(response.statusCode(), response.headers(), response.body());
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      JsonNode node = Json.parseOrNull(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (node == null) {
        throw new AssertionError("not JSON: " + body);
      }
      return node;
    }
  }
}
