package io.reliapi.llm;

/**
 * Whether the provider's answer moved on while a {@link ProviderReader} read one piece of its stream: the idle limit
 * after the first token is meant to catch an answer that stalled, not a connection that went quiet, so only this
 * starts it over. The answer moves on when its decoder yields something ({@link #says}: text, reasoning, a tool call
 * or its arguments, an item, a finish, usage), takes in a piece of a block it gives whole at its end (what it bills
 * grew), when an event says the provider is at work on it ({@link StreamDecoder#signsOfWork}: a hosted tool
 * running), or when an event is still arriving ({@link SseParser#midEvent}: a large one may take a while). Other
 * events that decode to nothing (Anthropic's {@code ping} with no server tool running, a bookkeeping event) and
 * comments do not. It stands between the decoder and its sink. Used on one event loop.
 */
final class AnswerProgress implements StreamDecoder.Sink {
  private final StreamDecoder decoder;
  private final StreamDecoder.Sink sink;
  private boolean said;
  private int billed;
  private Usage usage;
  private long work;
  private long content;

  AnswerProgress(StreamDecoder decoder, StreamDecoder.Sink sink) {
    this.decoder = decoder;
    this.sink = sink;
  }

  /** Notes where the answer stands before {@code parser} reads the next bytes. */
  void before(SseParser parser) {
    said = false;
    billed = decoder.billedLength();
    usage = decoder.usage();
    work = decoder.signsOfWork();
    content = parser.contentBytes();
  }

  /** Returns whether the answer moved on since {@link #before}, {@code parser} having read the bytes. */
  boolean movedOn(SseParser parser) {
    return said || decoder.billedLength() > billed || decoder.usage() != usage || decoder.signsOfWork() > work
        || parser.contentBytes() > content && parser.midEvent();
  }

  @Override
  public void chunk(ChatChunk chunk) {
    said |= says(chunk);
    sink.chunk(chunk);
  }

  @Override
  public void complete() {
    sink.complete();
  }

  @Override
  public void providerError(int status, String body) {
    sink.providerError(status, body);
  }

  /** Returns whether {@code chunk} adds to the answer: not an empty one, a bare start or an empty piece of text. */
  static boolean says(ChatChunk chunk) {
    if (chunk.usage() != null || chunk.lossy()) {
      return true;
    }
    for (ChatChunk.Part part : chunk.parts()) {
      boolean adds = switch (part) {
        case ChatChunk.Start start -> false;
        case ChatChunk.Text text -> !text.text().isEmpty();
        case ChatChunk.Refusal refusal -> !refusal.text().isEmpty();
        case ChatChunk.Reasoning reasoning -> !reasoning.text().isEmpty() || reasoning.signature() != null;
        default -> true;
      };
      if (adds) {
        return true;
      }
    }
    return false;
  }
}
