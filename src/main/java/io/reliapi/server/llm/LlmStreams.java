package io.reliapi.server.llm;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import io.reliapi.config.LlmFaultRules;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.ChatRequest;
import io.reliapi.pipeline.Exchange;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.SingleHeader;
import java.util.Locale;

/**
 * What every LLM route does about a streamed answer before the pipeline runs: it fixes when the stream is
 * committed to the client (the request's {@code X-ReliAPI-Stream-Commit} header, else the routed target's
 * {@code llm.stream_commit}; fallbacks follow it), and it keeps a held stream's connection alive.
 */
public final class LlmStreams {
  public static final String COMMIT_HEADER = "X-ReliAPI-Stream-Commit";

  private LlmStreams() {}

  /** Returns {@code request} with its commit mode; a header naming no mode is INVALID_REQUEST. */
  public static ChatRequest withCommit(Inbound in, TargetConfig target, ChatRequest request) {
    String asked = SingleHeader.of(in.request(), COMMIT_HEADER);
    if (asked != null) {
      return request.withStreamCommit(StreamCommit.of(asked.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
          Fields.invalid("Header " + COMMIT_HEADER + " must be none, first_token or complete.")));
    }
    return request.withStreamCommit(rules(target).streamCommit());
  }

  /**
   * Starts the keep-alive of a streamed answer held before its commit point ({@code first_token} or
   * {@code complete}): an SSE comment every {@code llm.stream_keepalive_s} of the routed target while the
   * request waits (see {@link io.reliapi.server.StreamHold}). Streaming routes call it as the last step of
   * reading a request; returns {@code exchange}.
   */
  public static Exchange held(Inbound in, Exchange exchange) {
    ChatRequest chat = exchange.payload(ChatRequest.class).orElse(null);
    if (chat == null || !chat.stream() || exchange.context().bufferReplies()) {
      return exchange;
    }
    StreamCommit commit = chat.streamCommit().orElse(rules(exchange.target()).streamCommit());
    int everyS = rules(exchange.target()).streamKeepaliveS();
    if (commit != StreamCommit.NONE && everyS > 0) {
      in.hold().begin(in, everyS * 1000L);
    }
    return exchange;
  }

  private static LlmFaultRules rules(TargetConfig target) {
    return target.llm().map(llm -> llm.faults()).orElse(LlmFaultRules.DEFAULTS);
  }
}
