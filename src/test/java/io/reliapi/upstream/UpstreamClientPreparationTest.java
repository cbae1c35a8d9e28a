package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.testing.MockUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An attempt the HTTP client cannot even prepare (a header it refuses, whoever supplied it) ends at once,
 * classified "not sent", instead of waiting for its timeout and passing for an unknown outcome.
 */
class UpstreamClientPreparationTest {
  static MockUpstream up;
  static Vertx vertx;
  static TargetConfig target;

  @BeforeAll
  static void start() {
    up = MockUpstream.start();
    vertx = Vertx.vertx();
    target = ConfigLoader.parse("targets: {api: {base_url: '" + up.baseUrl() + "'}}", n -> null)
        .target("api").orElseThrow();
  }

  @AfterAll
  static void stop() {
    vertx.close();
    up.close();
  }

  private static GatewayException failureOf(Future<Reply> attempt) throws Exception {
    try {
      attempt.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (GatewayException) e.getCause();
    }
    throw new AssertionError("the attempt should have failed");
  }

  private static Attempt longAttempt() {
    return new Attempt(new AttemptLimit(60_000, false), 60_000, true, 1 << 20, new Cancellation(), "req_prepare");
  }

  @Test
  void endsAtOnceAsNotSentWhenTheClientRefusesAHeaderOfTheCall() throws Exception {
    UpstreamClient client = new UpstreamClient(vertx, target, 1, Headers.empty());
    HttpCall call = new HttpCall("POST", "/pay", Headers.of("X-Bad", "a\u0001b"), Body.of(Buffer.buffer("x")));
    GatewayException failure = failureOf(client.send(call, longAttempt()));
    assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(failure.sentUpstream()).isFalse();
    assertThat(failure.getMessage()).doesNotContain("a\u0001b").doesNotContain("127.0.0.1");
    assertThat(up.count("/pay")).isZero();
  }

  @Test
  void endsAtOnceAsNotSentWhenTheTargetsCredentialCannotBeSent() throws Exception {
    UpstreamClient client = new UpstreamClient(vertx, target, 1, Headers.of("Authorization", "Bearer t\u007fk"));
    HttpCall call = new HttpCall("GET", "/read", Headers.empty(), Body.EMPTY);
    GatewayException failure = failureOf(client.send(call, longAttempt()));
    assertThat(failure.sentUpstream()).isFalse();
    assertThat(failure.getMessage()).doesNotContain("t\u007fk");
    assertThat(up.count("/read")).isZero();
  }

  @Test
  void stillSendsACallWhoseHeadersAreFine() throws Exception {
    UpstreamClient client = new UpstreamClient(vertx, target, 1, Headers.empty());
    HttpCall call = new HttpCall("GET", "/fine", Headers.of("X-Good", "caf\u00e9\tok"), Body.EMPTY);
    Reply reply = client.send(call, longAttempt()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(up.last().header("X-Good")).isEqualTo("caf\u00e9\tok");
  }
}
