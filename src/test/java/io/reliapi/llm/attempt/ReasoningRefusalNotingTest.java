package io.reliapi.llm.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which attempt's refusal of the reasoning items another organization issued the request is owed a resend for: the
 * attempt's own, not a hedge's loser's, which the race cancelled while its refusal was on its way (the request went
 * on with the other attempt's answer). A socket test cannot time a loser's answer to land after its cancellation.
 */
class ReasoningRefusalNotingTest {
  static final GatewayConfig CONFIG = ConfigLoader.parse("""
      targets:
        codex:
          base_url: "http://127.0.0.1:1/v1"
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
      """, name -> null);
  static final String REFUSAL = """
      {"error": {"message": "The encrypted content could not be verified.", "type": "invalid_request_error",
       "param": null, "code": "invalid_encrypted_content"}}""";

  final ChatAttemptStage stage = new ChatAttemptStage(PriceTable.of(CONFIG), TokenCounter.shared(), Clock.system(),
      new GatewayEvents() {}, 1 << 20);
  final RequestContext context = new RequestContext("req_1", Route.RESPONSES, Caller.anonymous(), "codex", 0,
      Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), true, new Trace("codex"),
      new Cancellation());

  /** Sends the attempt, which the provider refuses; {@code cancelFirst} cancels it while the refusal is on its way. */
  Reply refusedAttempt(boolean cancelFirst) {
    ObjectNode body = (ObjectNode) Json.parseOrNull("""
        {"model": "gpt-5", "store": false, "input": [
          {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hello"}]},
          {"type": "reasoning", "summary": [], "encrypted_content": "gAAAAABpRk1"}]}""".getBytes());
    ChatRequest request = new ChatRequest(Optional.of("gpt-5"), "gpt-5", List.of(ChatMessage.text("user", "hello")),
        Optional.empty(), 300, Optional.empty(), Optional.empty(), List.of(), false, ChatJson.object(),
        ChatJson.object(), Optional.empty(), Optional.of(new NativeBody(WireProtocol.OPENAI_RESPONSES, body, false)));
    Exchange exchange = new Exchange(context, CONFIG.target("codex").orElseThrow(),
        new HttpCall("POST", "/responses", Headers.empty(), Body.EMPTY), 0, Optional.of(request));
    Future<Reply> reply = stage.handle(exchange, attempt -> {
      if (cancelFirst) {
        context.cancellation().cancel();
      }
      return Future.succeededFuture(new Reply(400, Headers.of("Content-Type", "application/json"),
          Body.of(Buffer.buffer(REFUSAL))));
    });
    assertThat(reply.succeeded()).isTrue();
    return reply.result();
  }

  @Test
  void theAttemptsOwnRefusalIsNotedAndOwedTheResend() {
    Reply refusal = refusedAttempt(false);
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(context.reasoning().dropped()).isTrue();
    assertThat(context.reasoning().isRefusal(refusal)).isTrue();
  }

  @Test
  void aCancelledAttemptsRefusalIsOwedNothing() {
    Reply refusal = refusedAttempt(true);
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(context.reasoning().dropped()).as("later calls keep their reasoning items").isFalse();
    assertThat(context.reasoning().takeResend(refusal)).as("no resend").isFalse();
  }
}
