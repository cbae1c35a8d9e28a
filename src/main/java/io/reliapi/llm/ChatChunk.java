package io.reliapi.llm;

import java.util.List;

/**
 * One piece of a streamed completion in the provider-neutral model: what it adds to the answer as typed
 * {@link Part}s, plus, where the provider speaks OpenAI's protocol, its own {@code chat.completion.chunk} text,
 * so an OpenAI client is given the provider's exact bytes (fields the parts do not capture included). Every
 * other rendering (another protocol, or an OpenAI client of a provider that speaks another protocol) is built
 * from the parts.
 *
 * @param id           the completion's id, as the provider named it (same on every chunk)
 * @param model        the model that answers
 * @param created      the completion's creation time, epoch seconds
 * @param parts        what this chunk adds, in order
 * @param usage        the usage the provider reported in this chunk, or null
 * @param usageOnly    whether it is the final usage chunk without choices, which OpenAI sends only to
 *                     clients that asked for {@code stream_options.include_usage}
 * @param lossy        whether it carries what the parts cannot hold (a second choice, logprobs, a refusal,
 *                     audio, …): a completion assembled from the parts would not be the same answer
 * @param openAiJson   the provider's own {@code chat.completion.chunk} text, or null when it speaks another
 *                     protocol (or a dialect that had to be changed)
 */
public record ChatChunk(
    String id, String model, long created, List<Part> parts, Usage usage, boolean usageOnly, boolean lossy,
    String openAiJson) {

  public ChatChunk {
    parts = List.copyOf(parts);
  }

  /** One thing a chunk adds to the answer. */
  public sealed interface Part {}

  /** The start of the assistant's turn (OpenAI's role chunk, Anthropic's {@code message_start}). */
  public record Start() implements Part {}

  /** Text the user reads. */
  public record Text(String text) implements Part {}

  /**
   * The model's visible reasoning ({@code reasoning_content}, Anthropic's thinking). Anthropic signs each block
   * of it ({@code signature}, null where none came with this piece), and a client sends signed blocks back with
   * tool results; reasoning it sends encrypted is {@code redacted}, and its text is then the opaque data.
   */
  public record Reasoning(String text, String signature, boolean redacted) implements Part {
    public Reasoning(String text) {
      this(text, null, false);
    }
  }

  /**
   * The model declining to answer, in its own words (OpenAI's {@code refusal}, which structured outputs send
   * instead of content): a client shows it as the answer and knows it is not one.
   */
  public record Refusal(String text) implements Part {}

  /**
   * An item of the answer in its provider's own form, whole: a {@code protocol} client is given {@code json} as it
   * is, at its place among the other parts (Anthropic's server tool blocks and cited text blocks, the Responses
   * API's reasoning and hosted-call items); a client of any other protocol only {@code text}, the words it holds
   * for the user to read (a cited block's text; empty for most items).
   */
  public record ProtocolItem(WireProtocol protocol, String json, String text) implements Part {}

  /**
   * A tool call begins, or goes on naming itself: its position among the answer's calls, its id and the tool's name,
   * or a piece of it (null when this piece has none). An OpenAI-protocol server may split a name across deltas
   * ({@code "get_"}, then {@code "weather"}): the pieces of one call, in order, join into its name, which is whole once
   * its arguments start, another call or other content comes, or the answer ends.
   */
  public record ToolCall(int index, String id, String name) implements Part {}

  /** A fragment of a tool call's arguments (JSON text, in pieces). */
  public record ToolArgs(int index, String fragment) implements Part {}

  /**
   * Why the answer ended, in the words of {@link Completion#finishReason()}, and the stop sequence it ended at
   * (null when none or not known).
   */
  public record Finish(String reason, String stopSequence) implements Part {
    public Finish(String reason) {
      this(reason, null);
    }
  }

  /** Returns the text this chunk adds for the user to read, possibly empty. */
  public String text() {
    if (parts.size() == 1 && parts.getFirst() instanceof Text t) {
      return t.text();
    }
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Text t) {
        out.append(t.text());
      } else if (part instanceof ProtocolItem item) {
        out.append(item.text());
      }
    }
    return out.toString();
  }

  /**
   * Returns whether this chunk carries a content token: text, reasoning, a refusal, a tool call or a protocol item
   * (not the role chunk, an empty text, a finish reason or usage). A stream held until its first token is committed
   * at such a chunk. A stream carries a protocol item only to a client of its protocol, which is shown it: for any
   * other, the item was turned into its text as it left the decoder ({@link ProtocolItems#shownIn}).
   */
  public boolean hasToken() {
    for (Part part : parts) {
      boolean token = switch (part) {
        case Text t -> !t.text().isEmpty();
        case Reasoning r -> !r.text().isEmpty();
        case Refusal r -> !r.text().isEmpty();
        case ToolCall call -> true;
        case ToolArgs args -> true;
        case ProtocolItem item -> true;
        case Start start -> false;
        case Finish finish -> false;
      };
      if (token) {
        return true;
      }
    }
    return false;
  }

  /** Returns the finish reason this chunk announces, or null. */
  public String finishReason() {
    for (Part part : parts) {
      if (part instanceof Finish f) {
        return f.reason();
      }
    }
    return null;
  }

  /** Returns this chunk as an OpenAI {@code chat.completion.chunk}: the provider's own text, or one built. */
  public String json() {
    return openAiJson != null ? openAiJson : ChunkJson.write(this);
  }
}
