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
 * Ends a raw route's provider stream whose head a keep-alive committed before the request failed: the provider
 * protocol's own error event (OpenAI's {@code data: {"error": {...}}}, Anthropic's {@code event: error}), then the
 * connection is cut without ending the chunked body, so the client's SDK raises and nothing looks complete.
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
    return response.write(anthropic ? ErrorEvents.anthropic(error, in.requestId(), in.trace().target()) : ErrorEvents.openAi(error, in.trace().target()))
        .andThen(written -> in.request().connection().close());
  }
}
