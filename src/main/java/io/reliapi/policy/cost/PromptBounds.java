package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.Providers;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.cost.AudioUse;
import io.reliapi.llm.cost.ContentReferences;
import io.reliapi.llm.cost.FetchedContent;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.ReasoningItems;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.llm.cost.ToolPrompt;
import io.reliapi.pipeline.Exchange;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The prompt tokens a cost estimate counts on, where what the token counter counted is not what a provider can bill
 * (docs/guides/budget-control.md). A request without content by reference counts what the counter counted. One with
 * references counts at least its model's context window, the most prompt tokens a provider can bill for a call,
 * whatever the files hold (not one window per reference: the whole prompt cannot exceed it). A target whose operator
 * knows its files are small ({@code llm.reference_tokens}) counts that many tokens per reference on top of the count
 * instead, never more than the window bound ("Content by reference"). Reasoning items sent back count their bound on
 * top of the count, again never more than the window bound ("Reasoning items sent back"); Anthropic's hidden tool
 * prompts add theirs ({@link ToolPrompt}); bounded web fetches add what they may bring in, in every round
 * ({@link FetchedContent}); the audio data of the prompt counts at most the window
 * ({@link AudioPrompt}, "Audio"). Where more than one model may answer ({@link ModelChoice#answering}), each
 * figure is the largest of theirs: each model has its own tokenizer, image tokens, context window and tool prompt.
 */
final class PromptBounds {
  private final PriceTable prices;
  private final TokenCounter counter;

  PromptBounds(PriceTable prices, TokenCounter counter) {
    this.prices = prices;
    this.counter = counter;
  }

  /**
   * What an estimate counts on: the prompt's {@code counted} tokens (which token limits reserve), the prompt
   * {@code tokens} the money bounds count ({@link #tokens}) and what its audio data costs above the input price.
   */
  record Bound(long counted, long tokens, BigDecimal audioSurchargeUsd) {
    Bound max(Bound other) {
      return new Bound(Math.max(counted, other.counted), Math.max(tokens, other.tokens),
          audioSurchargeUsd.max(other.audioSurchargeUsd));
    }
  }

  /**
   * Returns the largest {@link Bound} over {@code asAnswered}, the request as each model that may answer it sees it;
   * without a {@code price} only the count (the money bounds have nothing to bound).
   */
  Future<Bound> largest(Exchange exchange, List<PricedRequest> asAnswered, LlmConfig llm, AudioUse audio,
      Optional<ModelPrice> price) {
    Future<Bound> most = bound(exchange, asAnswered.getFirst(), llm, audio, price);
    for (PricedRequest request : asAnswered.subList(1, asAnswered.size())) {
      most = most.compose(b -> bound(exchange, request, llm, audio, price).map(b::max));
    }
    return most;
  }

  private Future<Bound> bound(Exchange exchange, PricedRequest request, LlmConfig llm, AudioUse audio,
      Optional<ModelPrice> price) {
    return counted(exchange, request, llm.provider()).compose(counted -> price.isEmpty()
        ? Future.succeededFuture(new Bound(counted, counted, BigDecimal.ZERO))
        : audioData(exchange, request, llm, audio).map(data -> new Bound(counted,
            tokens(exchange, request, llm, data.prompt(counted)), data.surchargeUsd(audio, price.get()))));
  }

  /** Returns the prompt's tokens as the token counter counts them, counted off the event loop. */
  Future<Long> counted(Exchange exchange, PricedRequest request, LlmConfig.Provider provider) {
    return counter.offTheEventLoop(exchange.call().body().length(), request.model(),
        () -> request.promptTokens(counter, provider));
  }

  /**
   * Returns the prompt tokens the estimate counts on: with reasoning items sent back to a target that is sent them
   * (not once a call refused them: every later call goes without), or with content by reference, the bounds
   * {@link #withReasoning} and {@link #withReferences} set, plus Anthropic's hidden tool prompts and what bounded web
   * fetches may bring in. The request's
   * estimate keeps the {@code counted} tokens, which its token limits reserve and a call without reported usage is
   * charged: the bounds are for the money caps and budgets.
   */
  long tokens(Exchange exchange, PricedRequest request, LlmConfig llm, long counted) {
    if (!(request instanceof ChatRequest call)) {
      return counted;
    }
    WireProtocol target = Providers.of(llm.provider()).protocol();
    // A translation drops the reasoning items: only a target sent the body as written gets (and bills) them.
    boolean asWritten = Providers.of(llm.provider()).serving(call, llm).protocol() == WireProtocol.OPENAI_RESPONSES;
    long reasoning = asWritten && !exchange.context().reasoning().dropped() ? ReasoningItems.boundTokens(call) : 0;
    int references = ContentReferences.count(call);
    if (reasoning == 0 && references == 0) {
      return FetchedContent.plus(ToolPrompt.plus(counted, call, target), call, target);
    }
    long window = prices.contextWindow(llm, request.model());
    long read = withReasoning(counted, reasoning, window);
    long prompt = references == 0 ? read : withReferences(read, references, window, llm.referenceTokens());
    return FetchedContent.plus(ToolPrompt.plus(prompt, call, target), call, target);
  }

  /**
   * Returns the audio the estimate looks at: where a cap or budget holds the call ({@code controlled}), the audio
   * input and the spoken answer; elsewhere only the spoken answer, as looking for audio input walks the whole prompt
   * and settlement takes the audio tokens from the provider's usage.
   */
  static AudioUse audio(PricedRequest request, LlmConfig llm, boolean controlled) {
    if (!(request instanceof ChatRequest call)) {
      return AudioUse.NONE;
    }
    WireProtocol target = Providers.of(llm.provider()).protocol();
    return controlled ? AudioUse.of(call, target) : AudioUse.spoken(call, target);
  }

  /**
   * Returns the prompt's audio data ({@link AudioPrompt}): counted, off the event loop, only where audio input was
   * looked for and found.
   */
  Future<AudioPrompt> audioData(Exchange exchange, PricedRequest request, LlmConfig llm, AudioUse audio) {
    if (!(request instanceof ChatRequest call) || audio.input().isEmpty()) {
      return Future.succeededFuture(AudioPrompt.NONE);
    }
    long window = prices.contextWindow(llm, request.model());
    return counter.offTheEventLoop(exchange.call().body().length(), request.model(),
        () -> AudioUse.dataTokens(call, counter)).map(tokens -> new AudioPrompt(tokens, window));
  }

  /**
   * Returns the prompt tokens to estimate with: {@code counted} by the counter, {@code references} pieces of content
   * by reference, the model's context {@code window}, the target's {@code perReference} tokens if it set them.
   */
  static long withReferences(long counted, int references, long window, Optional<Integer> perReference) {
    if (references <= 0) {
      return counted;
    }
    long windowBound = Math.max(counted, window);
    return perReference.map(each -> Math.min(windowBound, counted + (long) each * references)).orElse(windowBound);
  }

  /**
   * Returns the prompt tokens {@code counted} by the counter plus the {@code reasoning} items' bound, at most the
   * model's context {@code window} (or the count, when that is larger): no prompt is billed beyond it.
   */
  static long withReasoning(long counted, long reasoning, long window) {
    return reasoning <= 0 ? counted : Math.min(counted + reasoning, Math.max(counted, window));
  }
}
