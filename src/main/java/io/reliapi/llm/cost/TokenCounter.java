package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Counts tokens as OpenAI's tiktoken (and jtokkit, its Java port) does, with a vocabulary of our own that
 * holds only what counting needs ({@link TokenEncoding}). OpenAI models use their own encoding
 * ({@code o200k_base} for GPT-4o, GPT-4.1, GPT-5 and the o-series; {@code cl100k_base} for GPT-4 and GPT-3.5).
 * Anthropic, Mistral and unknown models have tokenizers that are not public in Java, so they are counted with
 * {@code cl100k_base}: an approximation that is usually within 10–20 % of the provider's own count. A chat
 * prompt is counted as OpenAI does: 3 tokens per message plus its role and content, 1 more for a name, and 3
 * to prime the reply; tool calls, tool definitions, schemas and other structured input count as their JSON
 * text; an inline image counts what its model bills for its size, read from its header, and any other image the
 * most its model can be billed for one ({@link ImageTokens}).
 */
public final class TokenCounter {
  private static final int PER_MESSAGE = 3;
  private static final int PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;
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
    models.forEach(model -> vocabulary(model).encoding());
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

  /** An encoding, loaded once per process when first needed. */
  private enum Vocabulary {
    CL100K("cl100k_base"),
    O200K("o200k_base");

    private final String name;
    private volatile TokenEncoding loaded;

    Vocabulary(String name) {
      this.name = name;
    }

    boolean isLoaded() {
      return loaded != null;
    }

    TokenEncoding encoding() {
      TokenEncoding encoding = loaded;
      if (encoding == null) {
        synchronized (this) {
          if (loaded == null) {
            loaded = TokenEncoding.load(name);
          }
          encoding = loaded;
        }
      }
      return encoding;
    }
  }

  /** Returns the name of the encoding used for {@code model}. */
  public String encodingName(String model) {
    return vocabulary(model).name;
  }

  /**
   * Runs {@code count} without stalling the event loop: on a worker thread for a request whose body has
   * {@link #COUNT_ON_WORKER_BYTES} or more, or whose {@code model}'s vocabulary is not loaded yet.
   */
  public Future<Long> offTheEventLoop(long bodyBytes, String model, LongSupplier count) {
    Context context = Vertx.currentContext();
    if (context == null || bodyBytes < COUNT_ON_WORKER_BYTES && vocabulary(model).isLoaded()) {
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
   * to be settings without text ({@link #SETTINGS}) are left out, so a field the gateway does not know yet
   * counts rather than goes free. Images count by their size when inline, else as the most their model can be
   * billed for one, by the model's name ({@link #promptTokens(ChatRequest, Provider)} knows the provider of a model
   * it does not know).
   */
  public long promptTokens(ChatRequest request) {
    return countPrompt(request, null);
  }

  /**
   * Counts the prompt of {@code request} as {@link #promptTokens(ChatRequest)} does, an image of a model of no known
   * family at the most {@code provider}'s models can be billed for one.
   */
  public long promptTokens(ChatRequest request, Provider provider) {
    return countPrompt(request, provider);
  }

  /** Counts {@code request}'s prompt; {@code provider} is null when the caller does not know it. */
  private static long countPrompt(ChatRequest request, Provider provider) {
    TokenEncoding encoding = encoding(request.model());
    long tokens = REPLY_PRIMING;
    for (ChatMessage message : request.messages()) {
      tokens += PER_MESSAGE + count(encoding, message.role());
      if (message.content().isPresent()) {
        tokens += content(encoding, message.content().get(), provider, request.model());
      }
      for (var field : message.fields().properties()) {
        tokens += (field.getKey().equals("name") ? PER_NAME : 0) + json(encoding, field.getValue());
      }
    }
    return tokens + fields(encoding, request.options()) + fields(encoding, request.extra()) + hostedCalls(encoding,
        request);
  }

  /**
   * Counts the hosted tools' call items (such as {@code web_search_call}) in a Responses API body's {@code input}:
   * its neutral reading leaves them out, but a Responses API target is sent them as written, so without this a
   * client could carry any text past the estimate (and a hard cap) in one. Reasoning items are not text the client
   * chose: their encrypted content is bounded, for the money only, by {@link ReasoningItems}.
   */
  private static long hostedCalls(TokenEncoding encoding, ChatRequest request) {
    NativeBody body = request.nativeBody().orElse(null);
    if (body == null || body.protocol() != WireProtocol.OPENAI_RESPONSES || !body.body().path("input").isArray()) {
      return 0;
    }
    long tokens = 0;
    for (JsonNode item : body.body().get("input")) {
      String type = item.path("type").asText("");
      if (type.endsWith("_call") && !type.equals("function_call") && !type.equals("custom_tool_call")) {
        tokens += json(encoding, item);
      }
    }
    return tokens;
  }

  /** Request fields that are settings, not input: they carry no text the provider bills as prompt. */
  static final Set<String> SETTINGS = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
      "max_output_tokens", "stream", "stream_options", "n", "temperature", "top_p", "top_k", "seed", "random_seed",
      "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls",
      "user", "store", "service_tier", "reasoning_effort", "verbosity", "modalities", "safe_prompt", "stop",
      "stop_sequences", "prompt_cache_key", "safety_identifier", "metadata", "thinking");

  private static long fields(TokenEncoding encoding, JsonNode fields) {
    long tokens = 0;
    for (var field : fields.properties()) {
      if (!SETTINGS.contains(field.getKey())) {
        tokens += json(encoding, field.getValue());
      }
    }
    return tokens;
  }

  /** Counts {@code text} as {@code model}'s encoding sees it (for answers whose usage was not reported). */
  public long textTokens(String model, String text) {
    return count(encoding(model), text);
  }

  private static long content(TokenEncoding encoding, Content content, Provider provider, String model) {
    return switch (content) {
      case Content.Text text -> count(encoding, text.text());
      case Content.Parts parts -> {
        long sum = 0;
        for (ContentPart part : parts.parts()) {
          sum += switch (part) {
            case ContentPart.Text text -> count(encoding, text.text());
            case ContentPart.Image image ->
                ImageTokens.forUrl(provider, model, image.url(), image.detail().filter("low"::equals).isPresent());
            case ContentPart.Other other -> other(encoding, other.raw(), provider, model);
          };
        }
        yield sum;
      }
    };
  }

  /**
   * Counts a part the gateway does not interpret: an image in Anthropic's shape as one (by its size when its source
   * is inline base64), else its JSON text.
   */
  private static long other(TokenEncoding encoding, JsonNode part, Provider provider, String model) {
    if (!part.path("type").asText("").equals("image")) {
      return count(encoding, part.toString());
    }
    JsonNode source = part.path("source");
    boolean inline = source.path("type").asText("").equals("base64") && source.path("data").isTextual();
    return ImageTokens.forBase64(provider, model, inline ? source.get("data").asText() : null);
  }

  /** Counts a text as itself and anything structured as its JSON text. */
  private static long json(TokenEncoding encoding, JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    return count(encoding, node.isTextual() ? node.asText() : node.toString());
  }

  private static int count(TokenEncoding encoding, String text) {
    if (text.isEmpty()) {
      return 0;
    }
    text = wellFormed(text);
    if (text.length() > RecentCounts.MAX_TEXT_CHARS) {
      return encoding.count(text);
    }
    return RecentCounts.PER_THREAD.get().count(encoding, text);
  }

  /**
   * Returns {@code text} with each unpaired surrogate (JSON can carry a lone {@code \\ud800} escape) replaced
   * by U+FFFD, as UTF-8 would carry it (jtokkit, whose counts ours equal, rejects such text).
   */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\ufffd');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Counts of short texts seen lately, per thread (so no locking): system prompts, roles and instructions
   * repeat from request to request, and tokenizing is the costliest part of a cost estimate. Bounded:
   * {@value #ENTRIES} texts of at most {@value #MAX_TEXT_CHARS} characters per event loop.
   */
  private static final class RecentCounts extends java.util.LinkedHashMap<RecentCounts.Key, Integer> {
    static final int ENTRIES = 256;
    static final int MAX_TEXT_CHARS = 2048;
    static final ThreadLocal<RecentCounts> PER_THREAD = ThreadLocal.withInitial(RecentCounts::new);

    RecentCounts() {
      super(ENTRIES * 2, 0.75f, true);
    }

    /** A text and its encoding; the text's hash is the one the String keeps, so no copy is made to look it up. */
    private record Key(TokenEncoding encoding, String text) {}

    int count(TokenEncoding encoding, String text) {
      Key key = new Key(encoding, text);
      Integer known = get(key);
      if (known == null) {
        known = encoding.count(text);
        put(key, known);
      }
      return known;
    }

    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<Key, Integer> eldest) {
      return size() > ENTRIES;
    }
  }

  private static TokenEncoding encoding(String model) {
    return vocabulary(model).encoding();
  }

  private static Vocabulary vocabulary(String model) {
    String m = ModelNames.normalized(model);
    boolean o200 = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o")
        || m.startsWith("gpt-audio") || m.startsWith("gpt-oss");
    return o200 ? Vocabulary.O200K : Vocabulary.CL100K;
  }
}
