package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.HandStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * When a {@link ChatStream} is committed to its reader, and what a fault before that point does: the stream
 * fails as a whole (so the attempt can be retried), in the class SPEC §3.1 gives it. Driven by hand, through the
 * real OpenAI decoder.
 */
class ChatStreamCommitTest {
  private static final String ROLE = delta("{\"role\":\"assistant\",\"content\":\"\"}");
  private static final String HEL = delta("{\"content\":\"Hel\"}");
  private static final String LO = delta("{\"content\":\"lo\"}");
  private static final String STOP = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  private final HandStream source = new HandStream();
  private final AtomicBoolean aborted = new AtomicBoolean();

  private static String delta(String delta) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";
  }

  private ChatStream stream(StreamCommit commit, long maxHeldBytes) {
    return new ChatStream(source, () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, maxHeldBytes, commit);
  }

  private static GatewayException failure(Future<Void> started) {
    assertThat(started.failed()).as("the stream failed before its commit point").isTrue();
    return (GatewayException) started.cause();
  }

  /** Reads every chunk the stream holds and returns their text. */
  private static String read(ChatStream stream) {
    List<String> texts = new ArrayList<>();
    stream.handler(chunk -> texts.add(chunk.text()));
    return String.join("", texts);
  }

  @Test
  void atTheFirstEventItCommitsAtTheRoleChunk() {
    Future<Void> started = stream(StreamCommit.NONE, 1 << 20).start();
    source.emit(ROLE);

    assertThat(started.succeeded()).isTrue();
    assertThat(source.paused()).as("nobody reads yet: the provider waits").isTrue();
  }

  /**
   * Committed at the first event with nobody reading yet, and the first token in the same bytes: the provider waits
   * for the route to take the reply, and its silence is not watched meanwhile (docs/streaming.md). Real time: the
   * silence limits are I/O timeouts; the after-token one is far shorter than the stretch checked.
   */
  @Test
  void aFirstTokenThatArrivesWhileNobodyReadsYetArmsNoSilenceLimit() {
    Vertx vertx = Vertx.vertx();
    try {
      ChatStream stream = stream(StreamCommit.NONE, 1 << 20);
      vertx.getOrCreateContext().runOnContext(v -> {
        stream.idleTimeouts(vertx, 0, 50);
        stream.start();
        source.emit(ROLE + HEL);
      });
      await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> !aborted.get());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void atTheFirstTokenItHoldsTheRoleChunkAndCommitsAtTheFirstText() {
    ChatStream stream = stream(StreamCommit.FIRST_TOKEN, 1 << 20);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    assertThat(started.isComplete()).isFalse();
    assertThat(source.paused()).as("the gateway reads on while it holds").isFalse();

    source.emit(HEL);
    assertThat(started.succeeded()).isTrue();
    assertThat(read(stream)).isEqualTo("Hel");
  }

  @Test
  void whenCompleteItCommitsOnlyAtTheEndWithEveryChunkHeld() {
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    Future<Void> started = stream.start();
    for (String event : List.of(ROLE, HEL, LO, STOP)) {
      source.emit(event);
      assertThat(started.isComplete()).isFalse();
    }
    source.emit(DONE);

    assertThat(started.succeeded()).isTrue();
    assertThat(read(stream)).isEqualTo("Hello");
    assertThat(stream.end().result().finishReason()).isEqualTo("stop");
  }

  @Test
  void whenCompleteAnAnswerLongerThanTheHoldCommitsWhereTheHoldIsFull() {
    ChatStream stream = stream(StreamCommit.COMPLETE, ROLE.length() + 10);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    assertThat(started.isComplete()).isFalse();
    source.emit(HEL);

    assertThat(started.succeeded()).isTrue();
  }

  @Test
  void whenCompleteAStreamTheMemoryBudgetCannotHoldCommitsWhereTheBudgetIsFull() {
    ByteBudget budget = new ByteBudget(ROLE.length() + 10);
    HeldBytes held = new HeldBytes(budget);
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    stream.bufferedIn(held);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    assertThat(started.isComplete()).isFalse();
    source.emit(HEL);

    assertThat(started.succeeded()).as("committed: it goes out as it comes from here on").isTrue();
    assertThat(read(stream)).isEqualTo("Hel");
    source.emit(LO);
    source.emit(STOP);
    source.emit(DONE);
    assertThat(stream.end().result().finishReason()).isEqualTo("stop");
    assertThat(budget.inUse()).isLessThanOrEqualTo(budget.capacity());
    held.release();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void aCutBeforeTheCommitPointFailsTheWholeStreamAsANetworkFault() {
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    source.emit(HEL);
    source.fail();

    GatewayException error = failure(started);
    assertThat(error.code()).isEqualTo(ErrorCode.NETWORK_ERROR);
    assertThat(error.streamFault()).isTrue();
    assertThat(stream.end().failed()).isTrue();
    assertThat(aborted).isTrue();
  }

  @Test
  void anEndWithoutAFinishReasonBeforeTheCommitPointIsAStreamFault() {
    Future<Void> started = stream(StreamCommit.COMPLETE, 1 << 20).start();
    source.emit(ROLE);
    source.emit(HEL);
    source.end();

    GatewayException error = failure(started);
    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(error.streamFault()).isTrue();
  }

  @Test
  void aMalformedEventBeforeTheCommitPointIsAStreamFault() {
    Future<Void> started = stream(StreamCommit.COMPLETE, 1 << 20).start();
    source.emit(ROLE);
    source.emit("data: {\"choices\": [{\"delta\": \n\n");

    assertThat(failure(started).streamFault()).isTrue();
  }

  @Test
  void anEmptyStreamAtTheFirstTokenIsAStreamFault() {
    Future<Void> started = stream(StreamCommit.FIRST_TOKEN, 1 << 20).start();
    source.emit(ROLE);
    source.emit(DONE);

    assertThat(failure(started).streamFault()).isTrue();
  }

  @Test
  void anAnswerWithAFinishReasonButNoTokenIsAnAnswer() {
    ChatStream stream = stream(StreamCommit.FIRST_TOKEN, 1 << 20);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    source.emit(delta("{}").replace("\"finish_reason\":null", "\"finish_reason\":\"length\""));
    source.emit(DONE);

    assertThat(started.succeeded()).isTrue();
    assertThat(read(stream)).isEmpty();
    assertThat(stream.end().result().finishReason()).isEqualTo("length");
  }

  @Test
  void anErrorEventBeforeTheCommitPointIsTheProvidersErrorAnswer() {
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    Future<Void> started = stream.start();
    source.emit(ROLE);
    source.emit(HEL);
    source.emit("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n");

    assertThat(started.cause()).isInstanceOf(ProviderStreamError.class);
    assertThat(((ProviderStreamError) started.cause()).status()).isEqualTo(503);
    assertThat(aborted).isTrue();
  }

  @Test
  void anErrorEventSayingTheRequestIsTooLongIsA400() {
    Future<Void> started = stream(StreamCommit.FIRST_TOKEN, 1 << 20).start();
    source.emit("data: {\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
        + "\"code\":\"context_length_exceeded\"}}\n\n");

    assertThat(((ProviderStreamError) started.cause()).status()).isEqualTo(400);
  }

  @Test
  void aStreamThatEndsAfterItsFinishReasonIsCompleteWithoutItsEndMarker() {
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    Future<Void> started = stream.start();
    for (String event : List.of(ROLE, HEL, LO, STOP)) {
      source.emit(event);
    }
    source.end();

    assertThat(started.succeeded()).isTrue();
    assertThat(read(stream)).isEqualTo("Hello");
    assertThat(stream.end().succeeded()).isTrue();
  }

  @Test
  void theFirstTokenListenersRunAtTheFirstTokenOnly() {
    ChatStream stream = stream(StreamCommit.COMPLETE, 1 << 20);
    List<String> seen = new ArrayList<>();
    stream.onFirstToken(() -> seen.add("token"));
    stream.start();
    source.emit(ROLE);
    assertThat(seen).isEmpty();
    source.emit(HEL);
    source.emit(LO);

    assertThat(seen).containsExactly("token");
  }

  @Test
  void aFailedHeldAttemptIsChargedForWhatItStreamedAndOnlyThen() {
    List<Boolean> settled = new ArrayList<>();
    ChatStream silent = new ChatStream(source, () -> { }, new OpenAiProvider().decoder(0),
        (complete, assembled) -> {
          settled.add(complete);
          return assembled;
        }, 1 << 20, StreamCommit.COMPLETE);
    silent.start();
    source.emit(ROLE);
    silent.fail(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "slow"));
    assertThat(settled).as("no token, nothing spent").isEmpty();

    HandStream second = new HandStream();
    ChatStream streamed = new ChatStream(second, () -> { }, new OpenAiProvider().decoder(0),
        (complete, assembled) -> {
          settled.add(complete);
          return assembled;
        }, 1 << 20, StreamCommit.COMPLETE);
    streamed.start();
    second.emit(ROLE);
    second.emit(HEL);
    second.fail();
    assertThat(settled).containsExactly(false);
  }
}
