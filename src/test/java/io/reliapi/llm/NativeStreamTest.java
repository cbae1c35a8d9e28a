package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.HandStream;
import io.reliapi.testing.LlmBehaviors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The tee that passes a provider's own stream to a raw route's client while a chat stream reads it. */
class NativeStreamTest {
  static final List<String> EVENTS = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2);
  static final Predicate<SseEvent> USAGE_CHUNK = event -> event.data().contains("\"choices\":[]");

  /** What the client side handed on. */
  static final class Reader {
    final StringBuilder bytes = new StringBuilder();
    boolean ended;
    Throwable failure;

    void attach(ReadStream<Buffer> client, boolean endFirst) {
      if (endFirst) {
        client.endHandler(v -> ended = true).exceptionHandler(e -> failure = e);
        client.handler(b -> bytes.append(b));
      } else {
        client.handler(b -> bytes.append(b));
        client.endHandler(v -> ended = true).exceptionHandler(e -> failure = e);
      }
    }
  }

  final HandStream source = new HandStream();
  final AtomicBoolean aborted = new AtomicBoolean();

  NativeStream tee;
  ChatStream chat;

  /** Starts a chat stream reading the provider's side of a tee that holds back {@code withheld}. */
  void start(Predicate<SseEvent> withheld) {
    tee = new NativeStream(source, withheld, 1 << 20, HeldBytes.untracked());
    chat = new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    tee.readBy(chat);
    chat.start();
  }

  /** Attaches a reader to the client's side. */
  Reader read(boolean endHandlerFirst) {
    Reader reader = new Reader();
    reader.attach(tee.clientSide(), endHandlerFirst);
    return reader;
  }

  @Test
  void passesTheProvidersBytesOnUnchangedAndEndsWhenItsAnswerIsComplete() {
    start(null);
    source.emit(EVENTS.get(0));
    Reader reader = read(true);
    EVENTS.subList(1, EVENTS.size()).forEach(source::emit);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
    assertThat(reader.failure).isNull();
  }

  @Test
  void holdsBackOnlyTheWithheldEventsEvenWhenEventsAreSplitAcrossBuffers() {
    start(USAGE_CHUNK);
    String all = String.join("", EVENTS);
    source.emit(all.substring(0, 40));
    source.emit(all.substring(40, 300));
    Reader reader = read(false);
    source.emit(all.substring(300));

    List<String> expected = new ArrayList<>(EVENTS);
    expected.remove(EVENTS.size() - 2);
    assertThat(reader.bytes.toString()).isEqualTo(String.join("", expected));
    assertThat(reader.ended).isTrue();
  }

  @Test
  void endsTheWholeStreamOnceItsReaderListensWhateverOrderItSetsItsHandlersIn() {
    start(null);
    source.emit(String.join("", EVENTS));
    Reader reader = read(false);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
  }

  @Test
  void failsWhenTheProviderStopsBeforeItsEndMarker() {
    start(null);
    source.emit(EVENTS.get(0));
    Reader reader = read(true);
    source.emit(EVENTS.get(1));
    source.end();

    assertThat(reader.bytes.toString()).isEqualTo(EVENTS.get(0) + EVENTS.get(1));
    assertThat(reader.ended).isFalse();
    assertThat(reader.failure).isNotNull();
    assertThat(aborted).isTrue();
  }

  @Test
  void aPausedReaderPausesTheProviderAndGetsEverythingWhenItResumes() {
    start(null);
    source.emit(EVENTS.get(0));
    ReadStream<Buffer> client = tee.clientSide();
    Reader reader = new Reader();
    client.pause();
    reader.attach(client, true);
    assertThat(source.paused()).isTrue();
    client.resume();
    assertThat(source.paused()).isFalse();
    EVENTS.subList(1, EVENTS.size()).forEach(source::emit);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
  }

  @Test
  void theEventHeldBackTakesFromTheBudgetAndOnePastItShedsTheStreamWithItsBytesBack() {
    ByteBudget budget = new ByteBudget(4096);
    HeldBytes buffered = new HeldBytes(budget);
    tee = new NativeStream(source, USAGE_CHUNK, 1 << 20, buffered);
    chat = new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    chat.bufferedIn(buffered);
    tee.readBy(chat);
    Future<Void> started = chat.start();
    source.emit("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
    long held = budget.inUse();
    source.emit("x".repeat(1000));
    assertThat(budget.inUse()).as("the tee's 1049 bytes and the parser's buffer, 2048").isEqualTo(1049 + 2048);
    assertThat(held).isEqualTo(49 + 256);

    source.emit("x".repeat(3000));

    assertThat(started.failed()).isTrue();
    GatewayException error = (GatewayException) started.cause();
    assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(error.streamFault()).as("not a fault to retry").isFalse();
    assertThat(budget.inUse()).isZero();
    assertThat(budget.shed()).isEqualTo(1);
  }

  @Test
  void theBytesWaitingForTheClientTakeFromTheBudgetUntilItTakesThem() {
    ByteBudget budget = counted(1 << 20);
    chat.start();
    source.emit(EVENTS.get(0));
    assertThat(budget.inUse()).as("queued: nobody reads yet").isEqualTo(EVENTS.get(0).length());

    Reader reader = read(true);
    assertThat(budget.inUse()).as("taken by the client").isZero();
    source.emit(EVENTS.get(1));
    assertThat(budget.inUse()).isZero();
    assertThat(reader.bytes.toString()).isEqualTo(EVENTS.get(0) + EVENTS.get(1));
  }

  @Test
  void theBytesWaitingForAClientThatIsGoneAreGivenBack() {
    ByteBudget budget = counted(1 << 20);
    chat.start();
    source.emit(EVENTS.get(0));

    tee.abandon();

    assertThat(budget.inUse()).isZero();
  }

  @Test
  void bytesTheBudgetHasNoRoomToQueueShedTheStream() {
    ByteBudget budget = counted(EVENTS.get(0).length() - 1);
    Future<Void> started = chat.start();
    source.emit(EVENTS.get(0));

    assertThat(((GatewayException) started.cause()).code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(budget.shed()).isEqualTo(1);
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void bytesAReaderTakesAtOnceNeverWaitSoTakeNothingFromTheBudget() {
    ByteBudget budget = counted(EVENTS.get(0).length());
    chat.start();
    source.emit(EVENTS.get(0));
    Reader reader = read(true);
    String rest = String.join("", EVENTS.subList(1, EVENTS.size()));

    source.emit(rest);

    assertThat(rest.length()).as("more than the budget could queue").isGreaterThan(EVENTS.get(0).length());
    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
    assertThat(budget.shed()).isZero();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void theEventHeldBackAtTheEndIsLetGoWhenTheClientIsGone() {
    ByteBudget budget = new ByteBudget(1 << 20);
    HeldBytes buffered = new HeldBytes(budget);
    tee = new NativeStream(source, USAGE_CHUNK, 1 << 20, buffered);
    chat = new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    tee.readBy(chat);
    chat.start();
    String all = String.join("", EVENTS);
    // The end marker without the blank line that completes its event: the tee still holds it when the stream ends.
    source.emit(all.substring(0, all.length() - 1));
    tee.abandon();
    chat.handler(chunk -> { }); // the chat stream read on to its end by another reader

    source.end();

    assertThat(chat.end().succeeded()).isTrue();
    assertThat(budget.inUse()).as("nothing queued for a client that is gone").isZero();
  }

  /** Makes a tee holding nothing back whose queue takes from a budget of {@code bytes}, the only thing counted. */
  private ByteBudget counted(int bytes) {
    ByteBudget budget = new ByteBudget(bytes);
    tee = new NativeStream(source, null, 1 << 20, new HeldBytes(budget));
    chat = new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 1 << 20);
    tee.readBy(chat);
    return budget;
  }

  @Test
  void anEventHeldBackPastTheLimitFailsAsTooLarge() {
    tee = new NativeStream(source, USAGE_CHUNK, 1 << 20, HeldBytes.untracked());
    chat = new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, 8 << 20);
    tee.readBy(chat);
    Future<Void> started = chat.start();
    source.emit("data: " + "x".repeat((1 << 20) + 1));

    assertThat(((GatewayException) started.cause()).code()).isEqualTo(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE);
  }
}
