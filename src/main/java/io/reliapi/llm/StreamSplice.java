package io.reliapi.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a continuation's chunks read as more of the stream they continue: under its id, model and creation time;
 * without the continuation's own start of the assistant's turn; its text joined ({@link TextJoin}); its usage
 * added to what the calls before it spent. Pure, but for the join's state.
 */
final class StreamSplice {
  private final ChatChunk first;
  private final TextJoin join;
  private final Usage spent;

  /**
   * {@code first}: a chunk of the stream continued; {@code join}: how the continuation's text joins it;
   * {@code spent}: the usage before the continuation, or null.
   */
  StreamSplice(ChatChunk first, TextJoin join, Usage spent) {
    this.first = first;
    this.join = join;
    this.spent = spent;
  }

  /** Returns {@code chunk} as a chunk of the stream continued, or null when nothing of it is left. */
  ChatChunk next(ChatChunk chunk) {
    List<ChatChunk.Part> parts = new ArrayList<>(chunk.parts().size());
    for (ChatChunk.Part part : chunk.parts()) {
      switch (part) {
        case ChatChunk.Start start -> { }
        case ChatChunk.Text text -> {
          String joined = join.next(text.text());
          if (!joined.isEmpty()) {
            parts.add(new ChatChunk.Text(joined));
          }
        }
        case ChatChunk.Finish finish -> {
          String rest = join.flush();
          if (!rest.isEmpty()) {
            parts.add(new ChatChunk.Text(rest));
          }
          parts.add(part);
        }
        default -> parts.add(part);
      }
    }
    // A chunk left with nothing to add (the continuation's start) is dropped; its usage comes again at the end.
    if (parts.isEmpty() && !chunk.usageOnly()) {
      return null;
    }
    Usage usage = chunk.usage() == null ? null : sum(chunk.usage());
    ChatChunk spliced = new ChatChunk(first.id(), first.model(), first.created(), parts, usage, chunk.usageOnly(),
        chunk.lossy(), null);
    // A provider of OpenAI's protocol that reports usage beside its last choices has it written there again.
    boolean usageBeside = chunk.openAiJson() != null && !chunk.usageOnly() && usage != null;
    return usageBeside ? new ChatChunk(spliced.id(), spliced.model(), spliced.created(), spliced.parts(), usage, false,
        spliced.lossy(), ChunkJson.write(spliced, true)) : spliced;
  }

  /**
   * Returns a chunk of the text still held back as a possible echo, at the end of a continuation that wrote no
   * finish (Mistral's {@code [DONE]} alone): it was not one. Null when nothing is held.
   */
  ChatChunk rest() {
    String rest = join.flush();
    return rest.isEmpty() ? null
        : new ChatChunk(first.id(), first.model(), first.created(), List.of(new ChatChunk.Text(rest)), null, false,
            false, null);
  }

  private Usage sum(Usage usage) {
    return spent == null ? usage : spent.plus(usage);
  }
}
