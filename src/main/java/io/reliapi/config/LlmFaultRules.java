package io.reliapi.config;

import java.util.List;
import java.util.Optional;

/**
 * How an LLM target's faults are met before its client sees them (issue 13): when a stream is committed to the
 * client, how long the provider may take to its first token and between events, how often a held stream
 * sends a keep-alive comment, where a request that is too long for the model goes, and whether a
 * content-policy refusal may go to a fallback.
 *
 * @param streamCommit            when a streamed answer starts reaching the client (the target the request was
 *                                routed to decides for the whole request, fallbacks included)
 * @param firstTokenTimeoutMs     the longest from the provider's response headers to its first content token;
 *                                absent: the silence before it is bounded by {@code timeout_ms}, as between events
 * @param streamIdleTimeoutMs     the longest gap between events after the first token; absent: {@code timeout_ms}
 * @param streamKeepaliveS        seconds between {@code : keep-alive} comments while a stream is held; 0: none
 * @param contextFallback         the targets a request goes to when the provider says it is too long for the model
 * @param fallbackOnContentFilter whether a content-policy refusal may go to the fallback targets
 * @param streamResume            whether a text-only stream the provider breaks after its commit point is continued
 *                                by asking the provider for the rest of the answer (Anthropic and Mistral only)
 */
public record LlmFaultRules(
    StreamCommit streamCommit,
    Optional<Long> firstTokenTimeoutMs,
    Optional<Long> streamIdleTimeoutMs,
    int streamKeepaliveS,
    List<String> contextFallback,
    boolean fallbackOnContentFilter,
    boolean streamResume) {

  public static final int DEFAULT_KEEPALIVE_S = 10;
  public static final LlmFaultRules DEFAULTS = new LlmFaultRules(StreamCommit.FIRST_TOKEN, Optional.empty(),
      Optional.empty(), DEFAULT_KEEPALIVE_S, List.of(), false, false);

  public LlmFaultRules {
    contextFallback = List.copyOf(contextFallback);
  }

  /** When a streamed answer is committed to the client: nothing before that point reaches it. */
  public enum StreamCommit {
    /** At the provider's first event (the role chunk): the gateway's behaviour before issue 13. */
    NONE("none"),
    /** At the provider's first content token (text, reasoning or a tool call). */
    FIRST_TOKEN("first_token"),
    /** Once the provider's whole stream has arrived and was complete. */
    COMPLETE("complete");

    private final String word;

    StreamCommit(String word) {
      this.word = word;
    }

    /** Returns the name used in the config and the {@code X-ReliAPI-Stream-Commit} header. */
    public String word() {
      return word;
    }

    /** Returns the mode named {@code word} (as written in the config or the header), or empty. */
    public static Optional<StreamCommit> of(String word) {
      for (StreamCommit mode : values()) {
        if (mode.word.equals(word)) {
          return Optional.of(mode);
        }
      }
      return Optional.empty();
    }
  }
}
