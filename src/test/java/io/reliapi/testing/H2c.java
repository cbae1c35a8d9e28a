package io.reliapi.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 cleartext (h2c) client: with prior knowledge (the connection starts with the HTTP/2 preface)
 * or by upgrading from HTTP/1.1. Bodies are written before the request ends, so no Content-Length is sent.
 */
public final class H2c implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final int port;

  private H2c(int port, boolean upgrade) {
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(upgrade).setHttp2ClearTextUpgradeWithPreflightRequest(false));
  }

  public static H2c priorKnowledge(int port) {
    return new H2c(port, false);
  }

  public static H2c upgrade(int port) {
    return new H2c(port, true);
  }

  /** What came back, and over which protocol. */
  public record Res(int status, HttpVersion version, MultiMap headers, String body) {}

  /** Sends {@code body} (null for none) in one frame without a Content-Length, and waits for the answer. */
  public Res send(HttpMethod method, String path, Map<String, String> headers, String body) {
    try {
      return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path))
          .compose(request -> {
            headers.forEach(request::putHeader);
            if (body == null) {
              return request.send();
            }
            request.setChunked(true);
            request.write(Buffer.buffer(body));
            return request.send();
          })
          .compose(response -> response.body().map(b ->
              new Res(response.statusCode(), response.version(), response.headers(), b.toString())))
          .await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("h2c request failed", e);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
