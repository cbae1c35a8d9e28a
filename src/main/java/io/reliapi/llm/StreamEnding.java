package io.reliapi.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * How a {@link ChatStream} ended, settled once: the completion it amounted to (usage settled and cost included)
 * or its failure, what it cost, and the copy the stages that keep answers take of it. Used on one event loop.
 */
final class StreamEnding {
  private final ChatStream.Settlement settlement;
  private final StreamAssembly assembly;
  private final StreamDecoder decoder;
  private final Promise<Completion> end = Promise.promise();
  private final Promise<Double> cost = Promise.promise();
  private final Promise<Usage> callUsage = Promise.promise();
  private Future<StreamRecording> recording;
  /** Once continued: what the calls before the current one spent, usage and cost (null: unpriced). */
  private Usage spentUsage;
  private Double spentCost;
  private boolean continued;
  /** A continuation's own stream: broken, it settles what it was charged (the stream it continues goes on). */
  private boolean settlesBroken;
  /** The completion settled at the end, when it was charged. */
  private Completion settled;

  StreamEnding(ChatStream.Settlement settlement, StreamAssembly assembly, StreamDecoder decoder) {
    this.settlement = settlement;
    this.assembly = assembly;
    this.decoder = decoder;
  }

  /**
   * Returns whether a failed stream is charged for what the provider streamed: it is spent once the stream was
   * committed or a token arrived, whether the client saw it or a held attempt failed.
   */
  static boolean charged(boolean committed, boolean tokenSeen) {
    return committed || tokenSeen;
  }

  boolean ended() {
    return end.future().isComplete();
  }

  Future<Completion> end() {
    return end.future();
  }

  Future<Double> cost() {
    return cost.future();
  }

  /** See {@link ChatStream#callUsage()}. */
  Future<Usage> callUsage() {
    return callUsage.future();
  }

  /**
   * Settles the provider's part of a stream that breaks off and is continued by another call: it is charged for
   * what it streamed, and its cost is the attempt's; the continuations settle their own.
   */
  void partBroke() {
    Completion part = settlement.settle(false, assembly.completion(null, decoder.usage()));
    cost.complete(part.costUsd());
    callUsage.complete(part.usage());
    continued = true;
    spentUsage = part.usage();
    spentCost = part.costUsd();
  }

  /** This is a continuation's stream: see {@link ChatStream#settlesWhenBroken()}. */
  void settlesWhenBroken() {
    settlesBroken = true;
  }

  /** Adds what a continuation spent (its settled usage, null if it was charged nothing) to the stream's. */
  void partSpent(Usage usage, Double usd) {
    if (usage != null) {
      spentUsage = spentUsage == null ? usage : spentUsage.plus(usage);
    }
    spentCost = spentCost == null ? usd : usd == null ? spentCost : Double.valueOf(spentCost + usd);
  }

  /** Returns the output tokens spent so far on a continued stream. */
  long outputSpent() {
    return spentUsage == null ? 0 : spentUsage.completionTokens();
  }

  /** Returns the usage spent before the current call: what a continuation's own usage is added to. */
  Usage spentUsage() {
    return spentUsage;
  }

  /** Settles a continued stream whose last continuation completed it for {@code finishReason}. */
  void continuedCompleted(String finishReason) {
    if (!ended()) {
      end.complete(assembly.completion(finishReason, spentUsage).withCost(spentCost));
    }
  }

  /**
   * Settles a stream the provider completed: as reported, unless its usage does not state the output, which is then
   * charged as for a broken stream ({@link StreamDecoder#outputReported}).
   */
  void completed() {
    if (ended()) {
      return;
    }
    settled = settlement.settle(decoder.outputReported(), assembly.completion(decoder.finishReason(),
        decoder.usage()));
    cost.complete(settled.costUsd());
    callUsage.complete(settled.usage());
    end.complete(settled);
  }

  /** Settles a stream that broke with {@code failure}; it costs nothing unless {@code charged}. */
  void failed(Throwable failure, boolean charged) {
    if (ended()) {
      return;
    }
    if (continued) {
      // Every call of a continued stream settled its own part.
      end.fail(failure);
      return;
    }
    Double spent = null;
    if (charged) {
      settled = settlement.settle(false, assembly.completion(null, decoder.usage()));
      spent = settled.costUsd();
    }
    cost.complete(spent);
    if (settlesBroken && settled != null) {
      callUsage.complete(settled.usage());
    } else {
      callUsage.fail(failure);
    }
    end.fail(failure);
  }

  /** Returns the usage the stream settled when it ended: null before, or when it was charged nothing. */
  Usage settledUsage() {
    return settled == null ? null : settled.usage();
  }

  /** See {@link ChatStream#record(long)}. */
  Future<StreamRecording> record(long maxBytes) {
    if (recording == null) {
      recording = end.future().<StreamRecording>map(completion -> {
        if (!assembly.faithful()) {
          return new StreamRecording.NotKept();
        }
        Buffer json = ChatCompletion.bytes(ChatCompletion.write(completion, assembly.created()));
        return json.length() > maxBytes ? new StreamRecording.NotKept() : new StreamRecording.Kept(completion, json);
      }).otherwise(StreamRecording.Broken::new);
    }
    return recording;
  }
}
