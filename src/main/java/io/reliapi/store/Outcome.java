package io.reliapi.store;

/** How the request that held an idempotency key ended, kept so later requests with the key get it too. */
public sealed interface Outcome {

  /** The upstream answered; the answer is replayed. */
  record Replied(StoredReply reply) implements Outcome {}

  /** The request was sent, then the connection failed or timed out: whether it took effect is unknown. */
  record Unknown() implements Outcome {}

  /** The upstream answered, but the answer was too large (or broke off) and was not kept. */
  record NotStored() implements Outcome {}

  /** Returns an estimate of the memory this outcome holds, in bytes. */
  default long weight() {
    return this instanceof Replied replied ? replied.reply().weight() : 32;
  }
}
