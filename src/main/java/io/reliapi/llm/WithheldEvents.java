package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.buffer.Buffer;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Holds back, from a provider's stream passed on as written ({@link NativeStream}), the events the client did not ask
 * for: each event is held until it is complete, as the slices it arrived in ({@link SseBlocks}), then passed on
 * unless it is one to hold back. What it holds is bounded as one event of the chat stream reading the same bytes is,
 * and taken from the request's share of the memory budget beside that reading. Used on one event loop.
 */
final class WithheldEvents {
  private final Predicate<SseEvent> withheld;
  private final SseBlocks blocks;
  private final HeldEvent held;

  /** Holds back {@code withheld}, of a stream whose answer may be {@code maxResponseBytes}; takes from {@code buffered}. */
  WithheldEvents(Predicate<SseEvent> withheld, long maxResponseBytes, HeldBytes buffered) {
    this.withheld = withheld;
    this.blocks = new SseBlocks(ProviderReader.eventLimit(maxResponseBytes));
    this.held = new HeldEvent(buffered);
  }

  /**
   * Feeds the next bytes, adding to {@code passed} those of the events they complete that the client gets. Throws
   * the refusal of an event past the limit or the budget; all it held is let go then.
   */
  void feed(Buffer bytes, Collection<Buffer> passed) {
    try {
      for (List<Buffer> block : blocks.feed(bytes)) {
        SseEvent event = SseBlocks.event(block);
        if (event == null || !withheld.test(event)) {
          passed.addAll(block);
        }
      }
    } catch (GatewayException tooLarge) {
      letGo();
      throw tooLarge;
    }
    if (!held.holding(blocks.pendingBytes())) {
      letGo();
      throw held.shed();
    }
  }

  /**
   * Returns the slices of the event not yet complete (the stream ended); what they took from the budget goes with
   * them, for their new holder to give back ({@link ClientQueue#adopt}).
   */
  List<Buffer> rest() {
    List<Buffer> rest = blocks.rest();
    held.handedOver();
    return rest;
  }

  /** Lets go of the event not yet complete: the stream failed or ended. */
  void letGo() {
    blocks.rest();
    held.holding(0);
  }
}
