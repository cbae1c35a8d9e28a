package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static final TargetConfig TARGET = ConfigLoader.parse("""
      targets:
        api: {base_url: "http://127.0.0.1:1"}
      """, name -> null).targets().get("api");

  private final List<String> reported = new ArrayList<>();
  private final Promise<Reply> upstream = Promise.promise();

  private static Exchange exchange() {
    RequestContext context = new RequestContext("req_1", Route.PASSTHROUGH, new Caller("alice", Optional.empty()),
        "api", 0, Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), false,
        new Trace("api"), new Cancellation());
    return new Exchange(context, TARGET, new HttpCall("GET", "/x", Headers.empty(), Body.EMPTY), 0);
  }

  /** A stage with nothing to do: it hands on the next stage's answer and remembers it. */
  static final class Passing implements Stage {
    final List<Future<Reply>> handedOn = new ArrayList<>();

    @Override
    public Future<Reply> handle(Exchange exchange, Chain next) {
      Future<Reply> reply = next.proceed(exchange);
      handedOn.add(reply);
      return reply;
    }
  }

  /** A stage that works on the answer, so its future is its own. */
  static final class Mapping implements Stage {
    @Override
    public Future<Reply> handle(Exchange exchange, Chain next) {
      return next.proceed(exchange).map(reply -> reply);
    }
  }

  private Pipeline pipeline(List<Stage> stages) {
    return Pipeline.of(stages, (exchange, next) -> upstream.future(),
        (stage, requestId, failure) -> reported.add(stage));
  }

  @Test
  void stagesThatHandOnTheNextStagesAnswerAddNoFutureOfTheirOwn() {
    Passing outer = new Passing();
    Passing inner = new Passing();
    Future<Reply> answer = pipeline(List.of(outer, new Passing(), inner)).run(exchange());

    assertThat(answer).isSameAs(inner.handedOn.get(0)).isSameAs(outer.handedOn.get(0));
    upstream.complete(new Reply(200, Headers.empty(), Body.EMPTY));
    assertThat(answer.result().status()).isEqualTo(200);
  }

  @Test
  void aTerminalFailingWithABugBehindPassingStagesIsReportedOnceAsItselfAndBecomesAnInternalError() {
    Future<Reply> answer = pipeline(List.of(new Passing(), new Mapping(), new Passing())).run(exchange());

    upstream.fail(new IllegalStateException("bug"));

    assertThat(answer.failed()).isTrue();
    assertThat(answer.cause()).isInstanceOf(GatewayException.class);
    assertThat(((GatewayException) answer.cause()).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(reported).containsExactly("Stage");
  }

  @Test
  void aStageWhoseOwnFutureFailsWithABugIsReportedAsThatStage() {
    Stage failing = (exchange, next) -> next.proceed(exchange).map(reply -> {
      throw new IllegalStateException("bug in the stage");
    });
    Future<Reply> answer = pipeline(List.of(new Passing(), new Mapping(), new Passing(), failing)).run(exchange());

    upstream.complete(new Reply(200, Headers.empty(), Body.EMPTY));

    assertThat(((GatewayException) answer.cause()).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(reported).hasSize(1);
  }

  @Test
  void aPassingStageThatCallsOnLaterIsStillGuarded() {
    Promise<Void> later = Promise.promise();
    Stage deferring = (exchange, next) -> later.future().compose(v -> next.proceed(exchange))
        .compose(reply -> Future.failedFuture(new IllegalArgumentException("bug after the answer")));
    Future<Reply> answer = pipeline(List.of(new Passing(), deferring)).run(exchange());

    later.complete();
    upstream.complete(new Reply(200, Headers.empty(), Body.EMPTY));

    assertThat(((GatewayException) answer.cause()).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(reported).hasSize(1);
  }
}
