package io.reliapi.server.envelope;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.Bodies;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.policy.cache.CacheDirectives;
import io.reliapi.policy.idempotency.IdempotencyKeys;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.Inbound;
import io.reliapi.server.Targets;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.passthrough.RawChats;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;

/**
 * {@code POST /proxy/http}: one HTTP request described by a JSON envelope, answered with one (SPEC §2.2). On an
 * LLM target only listed paths pass, and a chat call goes through the cost controls ({@link RawChats}).
 */
public final class ProxyHttpRoute extends BodyRoute {
  private final Envelope envelope;

  public ProxyHttpRoute(GatewayConfig config, Envelope envelope) {
    super(config, Route.PROXY_HTTP);
    this.envelope = envelope;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    EnvelopeRequest parsed = EnvelopeRequest.parse(bytes, name -> {
      TargetConfig found = Targets.find(config, name);
      in.trace().answeredBy(found.name());
      return found;
    });
    TargetConfig target = parsed.target();
    var headers = in.request().headers();
    var cacheControl = new ArrayList<>(headers.getAll("Cache-Control"));
    cacheControl.addAll(parsed.call().headers().all("cache-control"));
    var key = IdempotencyKeys.resolveLines(headers.getAll("Idempotency-Key"), parsed.idempotencyKey().orElse(null));
    var cache = CacheDirectives.of(cacheControl, parsed.cache());
    HttpCall call = parsed.call();
    switch (RawChats.use(target, call.method(), call.pathAndQuery(), call.headers())) {
      case FORBIDDEN -> throw RawChats.forbidden();
      case CHAT -> {
        return RawChats.exchange(in, Route.PROXY_HTTP, config, target, call, parsed.timeoutMs(), key, cache, true);
      }
      case LISTED -> { }
    }
    RequestContext context = new RequestContext(in.requestId(), Route.PROXY_HTTP, in.caller(), target.name(),
        in.startNanos(), in.deadlineNanos(target, config.server()), parsed.timeoutMs(), key, cache, true, in.trace(), in.cancellation(),
        in.buffered());
    return new Exchange(context, target, call, 0);
  }

  /**
   * Renders an answer; a raw chat call's stream (an envelope needs the whole answer) is read to its end first,
   * within {@code server.max_response_bytes}, which also settles its cost before the headers go out.
   */
  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    if (exchange.payload().isEmpty()) {
      return envelope.reply(in, reply);
    }
    LlmReplies.freeOnHit(in.trace());
    if (!(reply.body() instanceof Body.Stream)) {
      return envelope.reply(in, reply);
    }
    return Bodies.read(reply.body(), config.server().maxResponseBytes(), false, in.buffered()).transform(read -> read.succeeded()
        ? envelope.reply(in, reply.withBody(Body.of(read.result())))
        : fail(in, GatewayException.from(read.cause())));
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return envelope.fail(in, error);
  }
}
