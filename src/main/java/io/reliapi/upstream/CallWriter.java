package io.reliapi.upstream;

import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * How a call goes out to one target: where (the base URL's host, port, scheme and path), with which head (the
 * client's headers through {@link HeaderHygiene}, the request id, the target's credential) and how its body is
 * sent (whole, or streamed from the client with its length or chunked).
 */
final class CallWriter {
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-ID");

  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final long connectTimeoutMs;
  private final Headers credentials;

  CallWriter(URI base, long connectTimeoutMs, Headers credentials) {
    this.ssl = "https".equals(base.getScheme());
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.connectTimeoutMs = connectTimeoutMs;
    this.credentials = credentials;
  }

  String host() {
    return host;
  }

  boolean ssl() {
    return ssl;
  }

  /** Returns where {@code call} goes; obtaining its connection may take the target's connect timeout at most. */
  RequestOptions options(HttpCall call, Attempt attempt) {
    long obtain = Math.min(connectTimeoutMs, Math.max(1, attempt.timeoutMs()));
    return new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(uri(call.pathAndQuery()))
        .setFollowRedirects(false)
        .setConnectTimeout(obtain);
  }

  /** The base URL's path and the call's; a query alone on a base URL without a path goes to "/". */
  private String uri(String pathAndQuery) {
    return basePath.isEmpty() && pathAndQuery.startsWith("?") ? "/" + pathAndQuery : basePath + pathAndQuery;
  }

  void writeHeaders(HttpClientRequest request, HttpCall call, String requestId) {
    MultiMap out = request.headers();
    HeaderHygiene.copyForUpstream(call.headers(), out);
    out.set(X_REQUEST_ID, requestId);
    credentials.forEach(out::set);
  }

  static Future<HttpClientResponse> sendBody(HttpClientRequest request, Body body, ClientUpload upload) {
    return switch (body) {
      case Body.Bytes bytes -> request.send(bytes.bytes());
      case Body.Stream stream -> {
        if (stream.length() >= 0) {
          request.putHeader("content-length", Long.toString(stream.length()));
        } else {
          request.setChunked(true);
        }
        yield request.send(upload);
      }
    };
  }
}
