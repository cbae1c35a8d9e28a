package io.reliapi.server.embeddings;

import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.embeddings.EmbeddingAnswer;
import io.reliapi.llm.embeddings.EmbeddingList;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.llm.embeddings.Embeddings;
import io.reliapi.llm.embeddings.EncodingFormat;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.Inbound;
import io.reliapi.server.SingleHeader;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.openai.OpenAiErrors;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API through the whole pipeline (caps and budgets on the input's
 * cost, cache on the exact input, idempotency, retries, fallback), served by OpenAI-protocol, Mistral and Gemini
 * targets. Answers are OpenAI embedding lists with the vectors as the client asked ({@code float} or
 * {@code base64}), whichever provider answered and whether fresh or stored; errors are OpenAI's shape.
 */
public final class EmbeddingsRoute extends BodyRoute {
  static final String PATH = "/embeddings";
  private final Clock clock;

  public EmbeddingsRoute(GatewayConfig config, Clock clock) {
    super(config, Route.EMBEDDINGS);
    this.clock = clock;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    EmbeddingsRequest parsed = EmbeddingsRequest.parse(bytes, SingleHeader.target(in.request()), config, in);
    EmbeddingRequest request = parsed.embeddings();
    return LlmRequests.exchange(in, Route.EMBEDDINGS, config, parsed.target(), request, PATH, request.canonical(),
        true, LlmRequests.idempotencyKey(in), LlmRequests.cacheDirective(in));
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply,
        exchange.payload(EmbeddingRequest.class).map(EmbeddingRequest::format).orElse(EncodingFormat.FLOAT));
  }

  private Future<Void> render(Inbound in, Reply reply, EncodingFormat format) {
    LlmReplies.freeOnHit(in.trace());
    LlmReplies.passOn(reply, in.request().response().headers());
    if (!LlmReplies.succeeded(reply)) {
      return fail(in, LlmReplies.upstreamError(reply, in, config, clock.epochMillis()));
    }
    // A stored answer is read from its bytes, which also checks they are an embedding list before they are sent.
    Embeddings answer = reply.answer(EmbeddingAnswer.class).map(EmbeddingAnswer::embeddings)
        .orElseGet(() -> EmbeddingList.read(LlmReplies.body(reply).getBytes()));
    return LlmReplies.writeJson(in, EmbeddingList.write(answer, format), clock);
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return OpenAiErrors.write(in, error, clock);
  }
}
