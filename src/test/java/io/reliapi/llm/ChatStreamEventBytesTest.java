package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.HandStream;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/**
 * The provider event a {@link ChatStream} is reading takes from the request's share of the memory budget as its bytes
 * arrive, and gives them back once it is read whole or the provider's call is over: the budget, not a fixed size,
 * bounds one event, and a whole event costs the budget no more than it did.
 */
class ChatStreamEventBytesTest {
  private static final String EVENT = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      + "\"content\":\"" + "x".repeat(200) + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";

  private final HandStream source = new HandStream();

  private Future<Void> started(long maxBytes, HeldBytes held) {
    return started(source, maxBytes, held);
  }

  private static Future<Void> started(HandStream source, long maxBytes, HeldBytes held) {
    ChatStream stream = new ChatStream(source, () -> { }, new OpenAiProvider().decoder(0),
        (complete, assembled) -> assembled, maxBytes);
    stream.bufferedIn(held);
    Future<Void> started = stream.start();
    stream.handler(chunk -> { });
    return started;
  }

  @Test
  void anEventInPartsTakesItsBytesAsTheyArriveAndEndsHoldingWhatTheSameEventWholeHolds() {
    ByteBudget whole = new ByteBudget(10_000);
    HandStream once = new HandStream();
    started(once, 1 << 20, new HeldBytes(whole));
    once.emit(EVENT);

    ByteBudget parts = new ByteBudget(10_000);
    started(1 << 20, new HeldBytes(parts));
    source.emit(EVENT.substring(0, 150));
    assertThat(parts.inUse()).as("the event being read: its line buffer").isEqualTo(256);
    source.emit(EVENT.substring(150));
    assertThat(parts.inUse()).isEqualTo(whole.inUse()).isPositive();
  }

  @Test
  void anEventPastTheBudgetShedsTheStreamAsOverloadedNotAsAFaultToRetry() {
    ByteBudget budget = new ByteBudget(100);
    Future<Void> started = started(1 << 20, new HeldBytes(budget));
    source.emit(EVENT.substring(0, 150));

    assertThat(started.failed()).isTrue();
    GatewayException error = (GatewayException) started.cause();
    assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(error.streamFault()).isFalse();
    assertThat(budget.inUse()).isZero();
    assertThat(budget.shed()).isEqualTo(1);
  }

  @Test
  void anEventPastTheAnswerLimitFailsAsTooLargeNotAsAFaultToRetry() {
    Future<Void> started = started(2 << 20, HeldBytes.untracked());
    source.emit("data: " + "x".repeat((2 << 20) + 1));

    GatewayException error = (GatewayException) started.cause();
    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE);
    assertThat(error.streamFault()).isFalse();
  }

  @Test
  void theEventBeingReadWhenTheProviderBreaksIsGivenBackAtOnce() {
    ByteBudget budget = new ByteBudget(10_000);
    Future<Void> started = started(1 << 20, new HeldBytes(budget));
    source.emit(EVENT.substring(0, 150));
    assertThat(budget.inUse()).isEqualTo(256);
    source.fail();

    assertThat(started.failed()).isTrue();
    assertThat(budget.inUse()).isZero();
  }
}
