package io.reliapi.server.passthrough;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.ErrorEvents;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * Ends a raw route's provider stream whose head a keep-alive committed before the request failed, the way that
 * provider's own streams end on an error: Anthropic's {@code event: error} closes a complete response (as on
 * {@code /v1/messages}; Anthropic's SDKs raise the event), while after OpenAI's {@code data: {"error": {...}}}
 * the connection is cut without ending the chunked body (as on {@code /v1/chat/completions}), so nothing looks
 * complete to a client that does not read error objects in a stream.
 */
final class RawStreamErrors {
  private RawStreamErrors() {}

  /** Writes {@code error} in the protocol of {@code target}'s provider (OpenAI's when it has none). */
  static Future<Void> write(Inbound in, Optional<TargetConfig> target, GatewayException error) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    boolean anthropic = target.flatMap(TargetConfig::llm).map(LlmConfig::provider).orElse(null)
        == LlmConfig.Provider.ANTHROPIC;
    if (anthropic) {
      return response.end(ErrorEvents.anthropic(error, in.requestId(), in.trace().target()));
    }
    return response.write(ErrorEvents.openAi(error, in.trace().target()))
        .andThen(written -> in.request().connection().close());
  }
}
