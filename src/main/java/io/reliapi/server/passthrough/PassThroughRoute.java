package io.reliapi.server.passthrough;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.HeaderNames;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.policy.cache.CacheDirectives;
import io.reliapi.policy.idempotency.IdempotencyKeys;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.InboundBody;
import io.reliapi.server.ProxyRoute;
import io.reliapi.server.Targets;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.time.Clock;
import io.reliapi.upstream.PathGuard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.Pipe;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * {@code ANY /t/{target}/{path...}} (SPEC §2.5): the same method, path, query, headers and body go to the
 * target, and its status, headers and body come back unchanged. Large bodies stream both ways. On an LLM
 * target only listed paths pass, and a chat call goes through the cost controls ({@link RawChats}).
 */
public final class PassThroughRoute implements ProxyRoute {
  public static final String PREFIX = "/t/";
  /** Request bodies up to this size are held in memory, so a failed attempt can be retried with them. */
  static final long STREAM_THRESHOLD_BYTES = 1 << 20;
  /** Headers meant for the gateway itself, never passed on. */
  private static final Set<String> GATEWAY_ONLY = HeaderNames.of("x-api-key", "authorization", "idempotency-key",
      "x-reliapi-target", "x-reliapi-stream-commit", "x-request-id", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto");

  private final GatewayConfig config;
  private final Problem problem;
  private final Clock clock;

  public PassThroughRoute(GatewayConfig config, Problem problem, Clock clock) {
    this.config = config;
    this.problem = problem;
    this.clock = clock;
  }

  @Override
  public Route route() {
    return Route.PASSTHROUGH;
  }

  /** The target is the path's first segment: an unknown one is named nowhere (it is 404 once the token is taken). */
  @Override
  public void nameTarget(Inbound in) {
    config.target(targetName(in.request())).ifPresent(target -> in.trace().answeredBy(target.name()));
  }

  @Override
  public Future<Exchange> exchange(Inbound in) {
    HttpServerRequest request = in.request();
    refuseEchoOrTunnel(request);
    TargetConfig target = Targets.find(config, targetName(request));
    in.trace().answeredBy(target.name());
    String rest = request.path().substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String path = highBytesEscaped(slash < 0 ? "" : rest.substring(slash));
    String query = request.query() == null ? null : highBytesEscaped(request.query());
    // "/t/{target}?q" asks for the base URL itself with a query: checked as "/?q", forwarded as "?q".
    String pathAndQuery = query == null ? PathGuard.check(path)
        : path.isEmpty() ? PathGuard.check("/?" + query).substring(1) : PathGuard.check(path + "?" + query);
    Headers headers = Headers.from(request.headers()).withoutNames(GATEWAY_ONLY::contains);
    var key = IdempotencyKeys.resolveLines(request.headers().getAll("Idempotency-Key"), null);
    RequestContext context = new RequestContext(in.requestId(), Route.PASSTHROUGH, in.caller(), target.name(),
        in.startNanos(), in.deadlineNanos(target, config.server()),
        Optional.empty(), key, CacheDirectives.of(request.headers().getAll("Cache-Control"), Optional.empty()),
        false, in.trace(), in.cancellation(), in.buffered());
    String method = request.method().name();
    switch (RawChats.use(target, method, pathAndQuery, headers)) {
      case FORBIDDEN -> throw RawChats.forbidden();
      case CHAT -> {
        return InboundBody.read(request, config.server().maxBodyBytes(), in.buffered()).map(bytes -> LlmStreams.held(in,
            RawChats.exchange(in, Route.PASSTHROUGH, config, target,
                new HttpCall(method, pathAndQuery, headers, Body.of(bytes)), Optional.empty(), key,
                context.cacheDirective(), false)));
      }
      case LISTED -> { }
    }
    return body(in, key.isPresent()).map(body ->
        new Exchange(context, target, new HttpCall(method, pathAndQuery, headers, body), 0));
  }

  /** Returns the first segment of the path after {@code /t/}: the target the request names. */
  private static String targetName(HttpServerRequest request) {
    String rest = request.path().substring(PREFIX.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /**
   * Refuses TRACE and CONNECT, in any case: an upstream answers a TRACE with the request it received, which
   * carries the credential the gateway adds for the target ({@code auth}), and CONNECT asks for a tunnel the
   * gateway does not open. The envelope's method list leaves both out too.
   */
  private static void refuseEchoOrTunnel(HttpServerRequest request) {
    String method = request.method().name();
    if (method.equalsIgnoreCase("TRACE") || method.equalsIgnoreCase("CONNECT")) {
      request.response().putHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      throw GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED, "TRACE and CONNECT are not passed through.");
    }
  }

  /**
   * Writes each byte above 0x7F of the request line (which arrives as one ISO-8859-1 character per byte) as
   * its {@code %XX} escape, so the upstream gets the same bytes; sent as they are, they would go out
   * re-encoded as UTF-8, a different path.
   */
  static String highBytesEscaped(String requestLineText) {
    StringBuilder out = null;
    for (int i = 0; i < requestLineText.length(); i++) {
      char c = requestLineText.charAt(i);
      if (c > 0x7f && out == null) {
        out = new StringBuilder(requestLineText.length() + 16).append(requestLineText, 0, i);
      }
      if (out != null) {
        if (c > 0x7f) {
          out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4 & 0xf, 16)))
              .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? requestLineText : out.toString();
  }

  /**
   * Small or keyed bodies are read into memory; large ones with a known length stream through, at the
   * upstream's pace (the body deadline stops while the upstream holds them up). A body of unknown length
   * (chunked) is read into memory within the size limit.
   */
  private Future<Body> body(Inbound in, boolean keyed) {
    HttpServerRequest request = in.request();
    long declared = InboundBody.declaredLength(request);
    if (declared == 0 || !InboundBody.mayHaveBody(request)) {
      request.resume();
      return Future.succeededFuture(Body.EMPTY);
    }
    if (declared > STREAM_THRESHOLD_BYTES && !keyed) {
      return Future.succeededFuture(new Body.Stream(in.streamedBody(), declared, () -> request.connection().close()));
    }
    return InboundBody.read(request, config.server().maxBodyBytes(), in.buffered()).map(Body::of);
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    if (exchange.payload().isPresent()) {
      LlmReplies.freeOnHit(in.trace());
    }
    if (in.hold().committed() && !(reply.status() == 200 && reply.body() instanceof Body.Stream)) {
      // A keep-alive committed a 200 event stream: any other answer can only be told as an error event.
      reply.body().discard();
      GatewayException error = LlmReplies.succeeded(reply)
          ? GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The provider did not answer with a stream.")
          : LlmReplies.upstreamError(reply, in, config, clock.epochMillis());
      return fail(in, error);
    }
    return write(in, reply);
  }

  /** Writes the upstream's answer as it is, with the gateway's headers. */
  private Future<Void> write(Inbound in, Reply reply) {
    HttpServerResponse response = in.request().response();
    if (response.closed()) {
      reply.body().discard();
      return Future.succeededFuture();
    }
    boolean committed = in.hold().committed();
    if (!committed) {
      response.setStatusCode(reply.status());
      var headers = response.headers();
      reply.headers().copyTo(headers);
      GatewayHeaders.write(headers, in, clock);
    }
    var headers = response.headers();
    boolean head = in.request().method().name().equals("HEAD");
    return switch (reply.body()) {
      case Body.Bytes bytes -> {
        if (!head) {
          headers.set("Content-Length", Integer.toString(bytes.bytes().length()));
        }
        yield head ? response.end() : response.end(bytes.bytes());
      }
      case Body.Stream stream -> {
        if (stream.length() < 0 && !head && !committed) {
          response.setChunked(true);
        }
        Pipe<Buffer> pipe = stream.source().pipe().endOnFailure(false);
        // The pipe hears of a client that hung up only when it next writes, which a quiet upstream may not do
        // before the deadline: the hang-up closes it, which ends the upstream call at once.
        Runnable unlisten = in.cancellation().onCancel(pipe::close);
        yield pipe.to(response).andThen(done -> unlisten.run()).recover(broken -> {
          // Either side broke mid-body, or the answer ran past its time limit (a stall, or stream_max_s /
          // the deadline while the client read slowly): stop the upstream and cut the client off, so a
          // truncated answer can never look complete.
          stream.discard();
          response.reset();
          // A raw stream cannot carry an error event: a memory shed is told only by its cut, and recorded as such.
          ErrorCode code = broken instanceof TimeoutException ? ErrorCode.UPSTREAM_TIMEOUT
              : broken instanceof GatewayException shed && shed.code() == ErrorCode.OVERLOADED ? ErrorCode.OVERLOADED
              : ErrorCode.NETWORK_ERROR;
          in.trace().errorCode(code);
          return Future.failedFuture(GatewayException.afterSend(code, "stream broke"));
        });
      }
    };
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    if (in.hold().committed()) {
      String target = in.trace().target();
      return RawStreamErrors.write(in, target == null ? Optional.empty() : config.target(target), error);
    }
    return problem.fail(in, error);
  }
}
