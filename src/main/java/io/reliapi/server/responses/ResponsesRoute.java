package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.Completion;
import io.reliapi.llm.NativeBody;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.Inbound;
import io.reliapi.server.SingleHeader;
import io.reliapi.server.llm.LlmAnswers;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.LlmStreams;
import io.reliapi.server.openai.OpenAiErrors;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API, stateless, so an OpenAI SDK's {@code responses()} works by
 * changing its base URL. The request is read into the neutral model and kept as written: a target that serves
 * the Responses API is sent the client's body, any other the translation to its own protocol. Every answer
 * (fresh, stored or replayed, whole or streamed, from whichever provider) is rendered as a {@code response}
 * object or the Responses API's typed events from the neutral answer; errors use OpenAI's error shape, and
 * reliability metadata travels in the §3.6 headers, as on {@code /v1/chat/completions}.
 */
public final class ResponsesRoute extends BodyRoute {
  private final Clock clock;

  public ResponsesRoute(GatewayConfig config, Clock clock) {
    super(config, Route.RESPONSES);
    this.clock = clock;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    ResponsesRequest parsed = ResponsesRequest.parse(bytes, SingleHeader.target(in.request()), config, in);
    return LlmStreams.held(in, LlmRequests.exchange(in, Route.RESPONSES, config, parsed.target(), parsed.chat(), bytes));
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    return render(in, reply, exchange.payload(ChatRequest.class));
  }

  private Future<Void> render(Inbound in, Reply reply, Optional<ChatRequest> request) {
    JsonNode body = request.flatMap(ChatRequest::nativeBody).map(NativeBody::body).orElseGet(ChatJson::object);
    long createdAt = clock.epochMillis() / 1000;
    Function<String, ResponseObject> responses =
        answerId -> new ResponseObject(body, ResponseObject.id(answerId, in.requestId()), createdAt);
    return LlmAnswers.write(in, reply, request.map(ChatRequest::stream).orElse(false), new LlmAnswers.Protocol() {
      @Override
      public Future<Void> stream(ChatStream stream) {
        return new ResponsesEvents(in, clock, responses).stream(stream);
      }

      @Override
      public Future<Void> replay(Completion completion) {
        return new ResponsesEvents(in, clock, responses).replay(completion);
      }

      @Override
      public Buffer whole(Completion completion, Reply stored) {
        ObjectNode json = ResponsesRoute.whole(responses.apply(completion.id()), completion);
        return Json.write(out -> Json.MAPPER.writeTree(out, json));
      }
    }, config, clock, error -> fail(in, error));
  }

  /** Returns {@code result} as the {@code response} object of a whole answer. */
  private static ObjectNode whole(ResponseObject response, Completion result) {
    OutputItems items = new OutputItems(response.id(), response.customTools(), (type, fields) -> { });
    CompletionParts.of(result).forEach(items::add);
    String incomplete = ResponseObject.incompleteReason(result.finishReason());
    return response.finished(result.model(), items.close(incomplete == null), result.usage(), incomplete);
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    if (in.hold().committed() && !in.request().response().ended()) {
      // A keep-alive already sent the 200 of a held stream: the failure is told with the Responses API's events.
      long createdAt = clock.epochMillis() / 1000;
      return new ResponsesEvents(in, clock, answerId -> new ResponseObject(ChatJson.object(),
          ResponseObject.id(answerId, in.requestId()), createdAt)).failed(error);
    }
    return OpenAiErrors.write(in, error, clock);
  }
}
