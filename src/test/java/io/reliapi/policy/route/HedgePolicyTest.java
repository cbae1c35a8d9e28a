package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reliapi.config.HedgeConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.config.ConfigLoader;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HedgePolicyTest {
  private static final HedgeConfig AFTER_100_MS = new HedgeConfig(Optional.of(100L), Optional.empty(), false);
  private static final HedgeConfig LLM_TOO = new HedgeConfig(Optional.of(100L), Optional.empty(), true);
  private static final TargetConfig TARGET = ConfigLoader.parse(
      "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n", name -> null).targets().get("api");

  private static Exchange call(String method) {
    return call(method, Optional.empty());
  }

  private static Exchange call(String method, Optional<String> idempotencyKey) {
    RequestContext context = new RequestContext("req_1", Route.PASSTHROUGH, Caller.anonymous(), "api", 0,
        Long.MAX_VALUE, Optional.empty(), idempotencyKey, CacheDirective.normal(), false, new Trace("api"),
        new Cancellation());
    return new Exchange(context, TARGET, new HttpCall(method, "/x", Headers.empty(), Body.EMPTY), 1);
  }

  private static Exchange chat(boolean stream) {
    return chat(stream, Optional.empty());
  }

  private static Exchange chat(boolean stream, Optional<String> idempotencyKey) {
    ChatRequest request = new ChatRequest(Optional.empty(), "m", List.of(ChatMessage.text("user", "hi")),
        Optional.empty(), 16, Optional.empty(), Optional.empty(), List.of(), stream,
        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), Optional.empty());
    return call("POST", idempotencyKey).withPayload(request);
  }

  @Test
  void onlyGetAndHeadAreHedgedNeverAnotherMethodKeyedOrNot() {
    assertThat(HedgePolicy.hedges(call("GET"), AFTER_100_MS)).isTrue();
    assertThat(HedgePolicy.hedges(call("HEAD"), AFTER_100_MS)).isTrue();
    for (String method : List.of("POST", "PATCH", "PUT", "DELETE", "OPTIONS")) {
      assertThat(HedgePolicy.hedges(call(method), LLM_TOO)).as(method).isFalse();
    }
  }

  @Test
  void llmCallsAreHedgedOnlyWhenTheTargetSaysSoAndTheyDoNotStream() {
    assertThat(HedgePolicy.hedges(chat(false), AFTER_100_MS)).isFalse();
    assertThat(HedgePolicy.hedges(chat(false), LLM_TOO)).isTrue();
    assertThat(HedgePolicy.hedges(chat(true), LLM_TOO)).isFalse();
  }

  @Test
  void noRequestWithAnIdempotencyKeyIsHedged() {
    assertThat(HedgePolicy.hedges(call("GET", Optional.of("k-1")), AFTER_100_MS)).isFalse();
    assertThat(HedgePolicy.hedges(chat(false, Optional.of("k-1")), LLM_TOO)).isFalse();
  }

  @Test
  void theDelayIsFixedOrThePercentileOfRecentLatencies() {
    assertThat(HedgePolicy.delayMs(AFTER_100_MS, null)).hasValue(100);
    HedgeConfig p90 = new HedgeConfig(Optional.empty(), Optional.of(90.0), false);
    LatencyWindow window = new LatencyWindow();
    assertThat(HedgePolicy.delayMs(p90, window)).isEmpty();
    for (int i = 1; i <= 100; i++) {
      window.record(i);
    }
    assertThat(HedgePolicy.delayMs(p90, window)).hasValue(90);
  }
}
