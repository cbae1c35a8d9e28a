package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.LlmBehaviors;
import io.vertx.core.Handler;
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

  /** A provider's body the test feeds by hand. */
  static final class Source implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> endHandler;
    Handler<Throwable> exceptionHandler;
    boolean paused;

    void send(String text) {
      handler.handle(Buffer.buffer(text));
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      this.endHandler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return resume();
    }
  }

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

  final Source source = new Source();
  final AtomicBoolean aborted = new AtomicBoolean();

  ChatStream chat(NativeStream tee) {
    return new ChatStream(tee.providerSide(), () -> aborted.set(true), new OpenAiProvider().decoder(0),
        (complete, finish, usage, text) -> new StreamEnd(finish, usage, null));
  }

  @Test
  void passesTheProvidersBytesOnUnchangedAndEndsWhenItsAnswerIsComplete() {
    NativeStream tee = new NativeStream(source, null);
    ChatStream chat = chat(tee);
    chat.start();
    source.send(EVENTS.get(0));
    Reader reader = new Reader();
    reader.attach(tee.clientSide(chat), true);
    EVENTS.subList(1, EVENTS.size()).forEach(source::send);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
    assertThat(reader.failure).isNull();
  }

  @Test
  void holdsBackOnlyTheWithheldEventsEvenWhenEventsAreSplitAcrossBuffers() {
    NativeStream tee = new NativeStream(source, USAGE_CHUNK);
    ChatStream chat = chat(tee);
    chat.start();
    String all = String.join("", EVENTS);
    source.send(all.substring(0, 40));
    source.send(all.substring(40, 300));
    Reader reader = new Reader();
    reader.attach(tee.clientSide(chat), false);
    source.send(all.substring(300));

    List<String> expected = new ArrayList<>(EVENTS);
    expected.remove(EVENTS.size() - 2);
    assertThat(reader.bytes.toString()).isEqualTo(String.join("", expected));
    assertThat(reader.ended).isTrue();
  }

  @Test
  void endsTheWholeStreamOnceItsReaderListensWhateverOrderItSetsItsHandlersIn() {
    NativeStream tee = new NativeStream(source, null);
    ChatStream chat = chat(tee);
    chat.start();
    source.send(String.join("", EVENTS));
    Reader reader = new Reader();
    reader.attach(tee.clientSide(chat), false);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
  }

  @Test
  void failsWhenTheProviderStopsBeforeItsEndMarker() {
    NativeStream tee = new NativeStream(source, null);
    ChatStream chat = chat(tee);
    chat.start();
    source.send(EVENTS.get(0));
    Reader reader = new Reader();
    reader.attach(tee.clientSide(chat), true);
    source.send(EVENTS.get(1));
    source.endHandler.handle(null);

    assertThat(reader.bytes.toString()).isEqualTo(EVENTS.get(0) + EVENTS.get(1));
    assertThat(reader.ended).isFalse();
    assertThat(reader.failure).isNotNull();
  }

  @Test
  void aPausedReaderPausesTheProviderAndGetsEverythingWhenItResumes() {
    NativeStream tee = new NativeStream(source, null);
    ChatStream chat = chat(tee);
    chat.start();
    source.send(EVENTS.get(0));
    ReadStream<Buffer> client = tee.clientSide(chat);
    Reader reader = new Reader();
    client.pause();
    reader.attach(client, true);
    assertThat(source.paused).isTrue();
    client.resume();
    assertThat(source.paused).isFalse();
    EVENTS.subList(1, EVENTS.size()).forEach(source::send);

    assertThat(reader.bytes.toString()).isEqualTo(String.join("", EVENTS));
    assertThat(reader.ended).isTrue();
  }
}
