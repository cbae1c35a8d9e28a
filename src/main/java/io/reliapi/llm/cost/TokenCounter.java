package io.reliapi.llm.cost;

import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * Counts tokens as OpenAI's tiktoken (and jtokkit, its Java port) does, with a vocabulary of our own that
 * holds only what counting needs ({@link TokenEncoding}), each model's own where OpenAI's ({@link Vocabulary}).
 * Anthropic, Mistral and unknown models have tokenizers that are not public in Java, so they are counted with
 * {@code cl100k_base}: an approximation that is usually within 10–20 % of the provider's own count. A chat
 * prompt is counted as OpenAI does ({@link PromptTokens}); a text as jtokkit counts it ({@link TextTokens}).
 */
public final class TokenCounter {
  private static final TokenCounter SHARED = new TokenCounter();
  /** Prompts larger than this are counted on a worker thread, so a huge prompt cannot stall an event loop. */
  static final long COUNT_ON_WORKER_BYTES = 64 * 1024;

  private TokenCounter() {}

  public static TokenCounter shared() {
    return SHARED;
  }

  /**
   * Loads, now, the vocabularies {@code models} are counted with. Loading one
   * parses several megabytes, takes about 0.1 s and keeps 3 to 6 MB of heap, so the gateway loads at start
   * (off the event loops) those its LLM targets' models use, and any other only when a request needs it.
   */
  public void warmUp(Collection<String> models) {
    models.forEach(model -> Vocabulary.of(model).encoding());
  }

  /**
   * Loads the vocabularies of {@code models} on a thread of its own, so the gateway answers health checks
   * meanwhile; a request that needs one before it is loaded is counted on a worker, where it waits for it.
   */
  public void warmUpInBackground(Collection<String> models) {
    Thread loader = new Thread(() -> warmUp(models), "reliapi-vocabulary");
    loader.setDaemon(true);
    loader.start();
  }

  /** Returns the name of the encoding used for {@code model}. */
  public String encodingName(String model) {
    return Vocabulary.of(model).encodingName();
  }

  /**
   * Runs {@code count} without stalling the event loop: on a worker thread for a request whose body has
   * {@link #COUNT_ON_WORKER_BYTES} or more, or whose {@code model}'s vocabulary is not loaded yet.
   */
  public Future<Long> offTheEventLoop(long bodyBytes, String model, LongSupplier count) {
    Context context = Vertx.currentContext();
    if (context == null || bodyBytes < COUNT_ON_WORKER_BYTES && Vocabulary.of(model).isLoaded()) {
      return Future.succeededFuture(count.getAsLong());
    }
    return context.executeBlocking(count::getAsLong, false);
  }

  /**
   * Counts the prompt of {@code request} to {@code provider} ({@link #promptTokens(ChatRequest, Provider)}) without
   * stalling the event loop.
   */
  public Future<Long> promptTokens(ChatRequest request, Provider provider, long bodyBytes) {
    return offTheEventLoop(bodyBytes, request.model(), () -> promptTokens(request, provider));
  }

  /**
   * Counts the prompt of {@code request} as its model's encoding sees it: every message (its role, content
   * parts, name, tool calls, tool call id and any other member), and every request field that carries input
   * the provider bills ({@code tools}, {@code functions}, {@code tool_choice}, {@code response_format} and its
   * JSON schema, {@code prediction}, Anthropic's {@code system} and {@code tools}, ...). Only the fields known
   * to be settings without text ({@link PromptTokens#SETTINGS}) are left out, so a field the gateway does not know
   * yet counts rather than goes free. Images count by their size when inline, else as the most their model can be
   * billed for one, by the model's name ({@link #promptTokens(ChatRequest, Provider)} knows the provider of a model
   * it does not know).
   */
  public long promptTokens(ChatRequest request) {
    return PromptTokens.count(request, null);
  }

  /**
   * Counts the prompt of {@code request} as {@link #promptTokens(ChatRequest)} does, an image of a model of no known
   * family at the most {@code provider}'s models can be billed for one.
   */
  public long promptTokens(ChatRequest request, Provider provider) {
    return PromptTokens.count(request, provider);
  }

  /** Counts {@code text} as {@code model}'s encoding sees it (for answers whose usage was not reported). */
  public long textTokens(String model, String text) {
    return TextTokens.count(Vocabulary.of(model).encoding(), text);
  }
}
