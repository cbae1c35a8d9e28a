package io.reliapi.policy.resume;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The request that continues an answer broken off after {@code sent} reached the client: the original request
 * (after the caps) with that text as the last, assistant message, and the output tokens left; its estimate is its
 * own ({@link ContinuationEstimate}), so its limits, budget, hard cap and unreported usage count the prefix.
 * Anthropic takes a last assistant message as the start of its answer (a prefill) but refuses one ending in
 * whitespace, so the whitespace (any Unicode space) is trimmed off (the stream then drops it where the continuation
 * writes it again); Mistral takes it marked {@code prefix: true}. Pure.
 *
 * @param request the continuation's request
 * @param prefix  the part of the text sent that the provider is given
 * @param echoed  whether the provider's answer may start with the prefix again (Mistral's examples strip it off)
 */
record ContinuationRequest(ChatRequest request, String prefix, boolean echoed) {

  /**
   * Returns the continuation, or empty when nothing is left to ask for (no text to give, no output left);
   * {@code tokens} counts the prefix as the gateway counts a prompt's text.
   */
  static Optional<ContinuationRequest> of(ChatRequest original, Provider provider, String sent, long outputSpent,
      ToLongFunction<String> tokens) {
    String prefix = provider == Provider.ANTHROPIC ? withoutTrailingSpace(sent) : sent;
    long left = original.maxTokens() - outputSpent;
    if (prefix.isEmpty() || left < 1) {
      return Optional.empty();
    }
    ObjectNode fields = ChatJson.object();
    if (provider == Provider.MISTRAL) {
      fields.put("prefix", true);
    }
    List<ChatMessage> messages = new ArrayList<>(original.messages());
    messages.add(new ChatMessage("assistant", Optional.of(new Content.Text(prefix)), fields));
    ChatRequest request = new ChatRequest(original.requestedModel(), original.model(), messages,
        original.requestedMaxTokens(), (int) left, original.temperature(), original.topP(), original.stop(),
        original.stream(), original.options(), original.extra(),
        original.estimate().map(e -> ContinuationEstimate.of(e, tokens.applyAsLong(prefix), (int) left)),
        original.nativeBody().map(body -> withPrefill(body, prefix)), original.streamCommit());
    return Optional.of(new ContinuationRequest(request, prefix, provider == Provider.MISTRAL));
  }

  /**
   * Returns {@code text} without the whitespace Anthropic refuses at the end of a prefill: every Unicode space,
   * the no-break ones too (U+00A0, U+202F), which {@link String#stripTrailing()} keeps.
   */
  static String withoutTrailingSpace(String text) {
    int end = text.length();
    while (end > 0) {
      int c = text.codePointBefore(end);
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
        break;
      }
      end -= Character.charCount(c);
    }
    return text.substring(0, end);
  }

  /** A body written in Anthropic's protocol is sent as written: the prefill goes into its own messages too. */
  private static NativeBody withPrefill(NativeBody body, String prefix) {
    if (body.protocol() != WireProtocol.ANTHROPIC_MESSAGES) {
      return body;
    }
    ObjectNode copy = body.body().deepCopy();
    ArrayNode messages = copy.get("messages") instanceof ArrayNode list ? list : copy.putArray("messages");
    messages.addObject().put("role", "assistant").put("content", prefix);
    return new NativeBody(body.protocol(), copy, body.answeredAsIs(), body.headers(), body.untranslatable());
  }
}
