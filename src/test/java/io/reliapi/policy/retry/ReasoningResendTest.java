package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The retry stage's resend of a call refused for its reasoning items (noted on the request by the attempt below):
 * once per request, numbered on, counted under {@code reasoning_items}, and none for a client that is gone.
 */
class ReasoningResendTest {
  static final GatewayConfig CONFIG = ConfigLoader.parse("""
      targets:
        codex:
          base_url: https://api.openai.com/v1
          retry_matrix: {"429": {attempts: 1}, "5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
      """, name -> null);
  static final Reply REFUSED = new Reply(400, Headers.empty(), Body.EMPTY);
  static final Reply ANSWERED = new Reply(200, Headers.empty(), Body.EMPTY);

  final ManualClock clock = new ManualClock();
  final List<String> retries = new ArrayList<>();
  final List<Integer> attempts = new ArrayList<>();
  final Exchange exchange = exchange();

  Reply run(Function<Exchange, Reply> upstream) {
    GatewayEvents events = new GatewayEvents() {
      @Override
      public void retry(String target, String errorClass) {
        retries.add(target + ":" + errorClass);
      }
    };
    var stage = new RetryStage(new RetryPolicy(() -> 0.5), clock, ManualScheduler.manual(clock), events,
        new RetryBudgets());
    Pipeline pipeline = Pipeline.of(List.of(stage), (sent, next) -> {
      attempts.add(sent.attempt());
      return Future.succeededFuture(upstream.apply(sent));
    });
    return pipeline.run(exchange).result();
  }

  static Reply refuse(Exchange sent) {
    sent.context().reasoning().refused(REFUSED);
    return REFUSED;
  }

  @Test
  void aRefusedCallIsSentOnceMoreAsTheNextAttemptWithoutItsReasoning() {
    Reply reply = run(sent -> sent.context().reasoning().dropped() ? ANSWERED : refuse(sent));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(exchange.trace().retries()).isEqualTo(1);
    assertThat(retries).containsExactly("codex:reasoning_items");
  }

  @Test
  void aRequestIsResentAtMostOnce() {
    Reply reply = run(ReasoningResendTest::refuse);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(retries).containsExactly("codex:reasoning_items");
  }

  /**
   * A refusal noted by a call whose reply did not reach this stage (a hedge's cancelled loser) owes no resend to
   * another 400 of the request.
   */
  @Test
  void onlyTheRefusalItselfIsResentNotAnotherBadRequest() {
    Reply other = new Reply(400, Headers.empty(), Body.EMPTY);
    Reply reply = run(sent -> {
      refuse(sent);
      return other;
    });

    assertThat(reply).isSameAs(other);
    assertThat(attempts).containsExactly(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void aClientThatHungUpIsNotResentFor() {
    Reply reply = run(sent -> {
      sent.context().cancellation().cancel();
      return refuse(sent);
    });

    assertThat(reply.status()).isEqualTo(400);
    assertThat(attempts).containsExactly(1);
    assertThat(exchange.trace().retries()).isZero();
    assertThat(retries).isEmpty();
  }

  static Exchange exchange() {
    TargetConfig target = CONFIG.target("codex").orElseThrow();
    RequestContext context = new RequestContext("req_1", Route.PROXY_LLM, Caller.anonymous(), "codex", 0,
        Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), true, new Trace("codex"),
        new Cancellation());
    return new Exchange(context, target, new HttpCall("POST", "/responses", Headers.empty(), Body.EMPTY), 0);
  }
}
