package io.reliapi.pipeline;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import java.util.Optional;

/**
 * The request as it flows through the pipeline: the request-wide context, the target this part of the
 * chain serves (fallback changes it), the call to make, and the attempt number on that target.
 *
 * <p>An LLM request also carries its provider-neutral {@code chat} request. Its {@code call} is then a
 * stand-in until the chat attempt stage turns the chat request into the provider's own call: a POST to
 * {@code /chat/completions} whose body is the canonical JSON of the chat request (model, messages and
 * every parameter that changes the answer, keys sorted, {@code stream} left out), so stages that key or
 * fingerprint on method, path and body treat LLM requests correctly without knowing about them.
 */
public record Exchange(
    RequestContext context, TargetConfig target, HttpCall call, int attempt, Optional<ChatRequest> chat) {

  public Exchange(RequestContext context, TargetConfig target, HttpCall call, int attempt) {
    this(context, target, call, attempt, Optional.empty());
  }

  public Exchange withTarget(TargetConfig target) {
    return new Exchange(context, target, call, 0, chat);
  }

  public Exchange withCall(HttpCall call) {
    return new Exchange(context, target, call, attempt, chat);
  }

  public Exchange withAttempt(int attempt) {
    return new Exchange(context, target, call, attempt, chat);
  }

  public Exchange withChat(ChatRequest chat) {
    return new Exchange(context, target, call, attempt, Optional.of(chat));
  }

  public Trace trace() {
    return context.trace();
  }
}
