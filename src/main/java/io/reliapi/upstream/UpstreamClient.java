package io.reliapi.upstream;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Sends calls to one target over a pooled, keep-alive connection set owned by one event loop. Redirects
 * are not followed (a 3xx goes back to the client), bodies are not decompressed, and every failure is
 * classified by whether the request may have reached the upstream.
 */
public final class UpstreamClient {
  /** Below common server idle timeouts (Node.js closes idle connections after 5 s), so a pooled
   * connection is rarely reused just as the server closes it, which would look like a reset after send. */
  private static final int KEEP_ALIVE_TIMEOUT_S = 4;
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-ID");

  private final Vertx vertx;
  private final HttpClient http;
  private final TargetConfig target;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final Headers credentials;
  private final UpstreamAnswers answers;

  public UpstreamClient(Vertx vertx, TargetConfig target, int poolSize, Headers credentials) {
    this.vertx = vertx;
    this.target = target;
    URI base = target.baseUrl();
    this.ssl = "https".equals(base.getScheme());
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.credentials = credentials;
    this.answers = new UpstreamAnswers(vertx);
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_TIMEOUT_S)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, target.connectTimeoutMs()))
        .setDecompressionSupported(false)
        .setSsl(ssl)
        .setVerifyHost(true)
        .setMaxRedirects(0);
    this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(poolSize));
  }

  public TargetConfig target() {
    return target;
  }

  /** Sends {@code call}; the future fails with a classified {@code GatewayException}. */
  public Future<Reply> send(HttpCall call, Attempt attempt) {
    Promise<Reply> result = Promise.promise();
    InFlight flight = new InFlight(result);
    // A whole-body attempt needs a timer for its total time (a slow trickle never trips the idle timeout);
    // a streamed one ends at the response head, which the request's idle timeout already bounds.
    long timer = attempt.buffer()
        ? vertx.setTimer(Math.max(1, attempt.timeoutMs()), id -> flight.fail(Failures.timeout(flight.sent))) : -1;
    Runnable unlisten = attempt.cancellation().onCancel(() -> flight.fail(Failures.classify(
        new IllegalStateException("client went away"), flight.sent)));
    result.future().onComplete(done -> {
      unlisten.run();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    });
    http.request(options(call, attempt)).onComplete(connected -> {
      if (connected.failed()) {
        flight.fail(Failures.classify(connected.cause(), false));
        return;
      }
      HttpClientRequest request = connected.result();
      flight.request = request;
      flight.sent = true;
      if (result.future().isComplete()) {
        request.reset();
        return;
      }
      writeHeaders(request, call, attempt.requestId());
      sendBody(request, call.body()).onComplete(response -> {
        if (response.failed()) {
          flight.fail(Failures.classify(response.cause(), true));
        } else {
          answers.read(response.result(), flight, attempt);
        }
      });
    });
    return result.future();
  }

  /** The base URL's path and the call's; a query alone on a base URL without a path goes to "/". */
  private String uri(String pathAndQuery) {
    return basePath.isEmpty() && pathAndQuery.startsWith("?") ? "/" + pathAndQuery : basePath + pathAndQuery;
  }

  private RequestOptions options(HttpCall call, Attempt attempt) {
    return new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(uri(call.pathAndQuery()))
        .setFollowRedirects(false)
        .setConnectTimeout(Math.min(target.connectTimeoutMs(), Math.max(1, attempt.timeoutMs())))
        .setIdleTimeout(Math.max(1, attempt.timeoutMs()));
  }

  private void writeHeaders(HttpClientRequest request, HttpCall call, String requestId) {
    MultiMap out = request.headers();
    HeaderHygiene.copyForUpstream(call.headers(), out);
    out.set(X_REQUEST_ID, requestId);
    credentials.forEach(out::set);
  }

  private static Future<HttpClientResponse> sendBody(HttpClientRequest request, Body body) {
    return switch (body) {
      case Body.Bytes bytes -> request.send(bytes.bytes());
      case Body.Stream stream -> {
        if (stream.length() >= 0) {
          request.putHeader("content-length", Long.toString(stream.length()));
        } else {
          request.setChunked(true);
        }
        yield request.send(stream.source());
      }
    };
  }

  public Future<Void> close() {
    return http.close();
  }
}
