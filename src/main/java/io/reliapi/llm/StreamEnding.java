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
  private Future<StreamRecording> recording;

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

  /** Settles a stream the provider completed. */
  void completed() {
    if (ended()) {
      return;
    }
    Completion settled = settlement.settle(true, assembly.completion(decoder.finishReason(), decoder.usage()));
    cost.complete(settled.costUsd());
    end.complete(settled);
  }

  /** Settles a stream that broke with {@code failure}; it costs nothing unless {@code charged}. */
  void failed(Throwable failure, boolean charged) {
    if (ended()) {
      return;
    }
    Double spent = null;
    if (charged) {
      spent = settlement.settle(false, assembly.completion(null, decoder.usage())).costUsd();
    }
    cost.complete(spent);
    end.fail(failure);
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
