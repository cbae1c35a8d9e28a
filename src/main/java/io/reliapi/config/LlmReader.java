package io.reliapi.config;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.config.LlmConfig.Provider;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the {@code llm} block of a target. */
final class LlmReader {
  private static final Map<String, Provider> PROVIDERS = Node.words(Map.entry("openai", Provider.OPENAI),
      Map.entry("anthropic", Provider.ANTHROPIC), Map.entry("mistral", Provider.MISTRAL),
      Map.entry("gemini", Provider.GEMINI));
  /** A query parameter name written as it goes on the wire: RFC 3986 unreserved characters. */
  private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
  private static final Map<String, LlmFaultRules.StreamCommit> COMMITS = Node.words(
      Map.entry("none", LlmFaultRules.StreamCommit.NONE), Map.entry("first_token", LlmFaultRules.StreamCommit.FIRST_TOKEN),
      Map.entry("complete", LlmFaultRules.StreamCommit.COMPLETE));
  /** A raw path prefix: segments of visible ASCII other than {@code ? # %} and backslash, no dot segments. */
  private static final Pattern RAW_PATH = Pattern.compile("(/[!$&'()*+,;=:@A-Za-z0-9._~-]+)+/?|/");
  /** The most tokens a count in the {@code llm} block may say: ten million, above every model's context window. */
  private static final long MAX_TOKENS_COUNT = 10_000_000;
  private final Node n;
  private final URI baseUrl;
  private final List<URI> reached;
  private final long timeoutMs;

  /**
   * Reads {@code n}, the {@code llm} block of a target at {@code baseUrl} whose attempts go to the URLs
   * {@code reached} (its deployments', or its own) and whose {@code timeout_ms} is {@code timeoutMs}.
   */
  LlmReader(Node n, URI baseUrl, List<URI> reached, long timeoutMs) {
    this.n = n;
    this.baseUrl = baseUrl;
    this.reached = List.copyOf(reached);
    this.timeoutMs = timeoutMs;
  }

  Optional<LlmConfig> read() {
    if (!n.mapping(ConfigReader.SCHEMA.get("llm"))) {
      return Optional.empty();
    }
    Node providerNode = n.field("provider");
    if (!providerNode.present()) {
      providerNode.problem("is required: openai, anthropic, mistral or gemini");
    }
    Provider provider = providerNode.choice(PROVIDERS, Provider.OPENAI);
    String model = n.field("default_model").requiredText();
    int maxTokens = n.field("max_tokens").integer(LlmConfig.DEFAULT_MAX_TOKENS, 1, 10_000_000);
    // The default floor follows a smaller max_tokens down; only a floor written above it is a mistake.
    Node minOutputNode = n.field("min_output_tokens");
    int minOutput = minOutputNode.integer(Math.min(LlmConfig.DEFAULT_MIN_OUTPUT_TOKENS, maxTokens), 1, 10_000_000);
    if (minOutput > maxTokens) {
      minOutputNode.problem("must not exceed max_tokens (" + maxTokens + ")");
    }
    var soft = Optional.ofNullable(n.field("soft_cost_cap_usd").number(null, 0, 1e6));
    var hard = Optional.ofNullable(n.field("hard_cost_cap_usd").number(null, 0, 1e6));
    if (soft.isPresent() && hard.isPresent() && soft.get() > hard.get()) {
      n.field("soft_cost_cap_usd").problem("must not exceed hard_cost_cap_usd (" + hard.get() + ")");
    }
    return Optional.of(new LlmConfig(provider, model, maxTokens, soft, hard, minOutput,
        ConfigReader.budget(n.field("budget")), prices(n.field("prices")),
        n.field("anthropic_version").text(LlmConfig.DEFAULT_ANTHROPIC_VERSION), rawPaths(n.field("raw_paths")),
        OverloadReader.limits(n.field("limits")), query(n.field("query")),
        maxTokensField(n.field("max_tokens_field"), provider),
        responsesApi(n.field("responses_api"), provider), faults(provider), optionalTokens(n.field("reference_tokens")),
        structuredOutputs(n.field("structured_outputs"), provider),
        LlmConfig.openAiHost(provider, baseUrl)));
  }

  /** Reads an optional count of tokens: a positive integer. */
  private static Optional<Long> optionalCount(Node node) {
    return node.present() ? Optional.of(node.integer(1L, 1, MAX_TOKENS_COUNT)) : Optional.empty();
  }

  private static Optional<Integer> optionalTokens(Node node) {
    return optionalCount(node).map(Long::intValue);
  }

  private static LlmConfig.MaxTokensField maxTokensField(Node node, Provider provider) {
    var field = node.choice(Node.words(Map.entry("as_sent", LlmConfig.MaxTokensField.AS_SENT),
        Map.entry("max_tokens", LlmConfig.MaxTokensField.MAX_TOKENS),
        Map.entry("max_completion_tokens", LlmConfig.MaxTokensField.MAX_COMPLETION_TOKENS)),
        LlmConfig.MaxTokensField.AS_SENT);
    if (node.present() && provider != Provider.OPENAI) {
      node.problem("only applies to provider openai");
    }
    return field;
  }

  private static LlmConfig.StructuredOutputs structuredOutputs(Node node, Provider provider) {
    var mode = node.choice(Node.words(Map.entry("auto", LlmConfig.StructuredOutputs.AUTO),
        Map.entry("native", LlmConfig.StructuredOutputs.NATIVE), Map.entry("prompt", LlmConfig.StructuredOutputs.PROMPT)),
        LlmConfig.StructuredOutputs.AUTO);
    if (node.present() && provider != Provider.ANTHROPIC) {
      node.problem("only applies to provider anthropic");
    }
    return mode;
  }

  /** Reads {@code llm.query}: parameter names as they go on the wire, values as text (percent-encoded when sent). */
  private static Map<String, String> query(Node node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.entries().forEach((name, value) -> {
      if (!QUERY_NAME.matcher(name).matches()) {
        value.problem("must be a query parameter name of letters, digits, '.', '_', '~' or '-'");
        return;
      }
      out.put(name, value.requiredText());
    });
    return out;
  }

  /**
   * Reads whether the target serves OpenAI's Responses API: only an OpenAI-protocol target can, and by default
   * one whose attempts all go to {@code api.openai.com} does (other OpenAI-protocol servers mostly speak only Chat
   * Completions, and the setting holds for every deployment an attempt may be sent to).
   */
  private boolean responsesApi(Node node, Provider provider) {
    boolean openAi = provider == Provider.OPENAI;
    boolean served = node.bool(openAi && reached.stream().allMatch(OpenAiHosts::isOpenAi));
    if (served && !openAi) {
      node.problem("can be true only for provider openai");
      return false;
    }
    return served;
  }

  /** Reads how the target's faults are met; {@code context_fallback}'s names are checked with the fallbacks. */
  private LlmFaultRules faults(Provider provider) {
    LlmFaultRules.StreamCommit commit = n.field("stream_commit").choice(COMMITS, LlmFaultRules.StreamCommit.FIRST_TOKEN);
    return new LlmFaultRules(commit, optionalMs(n.field("first_token_timeout_ms")),
        optionalMs(n.field("stream_idle_timeout_ms")),
        n.field("stream_keepalive_s").integer(LlmFaultRules.DEFAULT_KEEPALIVE_S, 0, 3600),
        n.field("context_fallback").textList(), n.field("fallback_on_content_filter").bool(false),
        streamResume(n.field("stream_resume"), provider));
  }

  /**
   * Reads whether broken streams are continued: only a provider that can continue an assistant message can
   * (Anthropic, Mistral); OpenAI's API would answer such a message anew.
   */
  private static boolean streamResume(Node node, Provider provider) {
    boolean resume = node.bool(false);
    if (resume && provider != Provider.ANTHROPIC && provider != Provider.MISTRAL) {
      node.problem("can be true only for provider anthropic or mistral: other providers cannot continue an answer");
      return false;
    }
    return resume;
  }

  /**
   * Reads a stream's time limit; it may not exceed the target's {@code timeout_ms}, which bounds every silence of
   * an upstream answer (a longer limit could never be reached).
   */
  private Optional<Long> optionalMs(Node node) {
    if (!node.present()) {
      return Optional.empty();
    }
    long ms = node.integer(1L, 1, 3_600_000);
    if (ms > timeoutMs) {
      node.problem("must not exceed the target's timeout_ms (" + timeoutMs + "), which bounds every silence of "
          + "an upstream answer");
    }
    return Optional.of(Math.min(ms, timeoutMs));
  }

  /** Reads the raw path prefixes; a trailing {@code /} is dropped, as the match is on whole segments anyway. */
  private static List<String> rawPaths(Node node) {
    List<String> out = new ArrayList<>();
    for (Node item : node.items()) {
      String prefix = item.requiredText();
      if (prefix.isEmpty()) {
        continue;
      }
      boolean dotSegment = ("/" + prefix + "/").contains("/./") || ("/" + prefix + "/").contains("/../");
      if (!RAW_PATH.matcher(prefix).matches() || dotSegment) {
        item.problem("must be a path prefix such as /models or /files: starting with '/', without '//', '.' or "
            + "'..' segments, query, fragment or percent-escapes");
        continue;
      }
      out.add(prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }
    return out;
  }

  private static Optional<Double> optionalPrice(Node node) {
    return Optional.ofNullable(node.number(null, 0, 1e6));
  }

  private static Map<String, ModelPrice> prices(Node node) {
    Map<String, ModelPrice> out = new LinkedHashMap<>();
    node.entries().forEach((model, price) -> {
      price.mapping(ConfigReader.SCHEMA.get("prices.*"));
      Node in = price.field("input_per_1m");
      Node outNode = price.field("output_per_1m");
      if (!in.present()) {
        in.problem("is required");
      }
      if (!outNode.present()) {
        outNode.problem("is required");
      }
      out.put(model, new ModelPrice(in.number(0.0, 0, 1e6), outNode.number(0.0, 0, 1e6),
          optionalPrice(price.field("cache_read_per_1m")), optionalPrice(price.field("cache_write_per_1m")),
          optionalPrice(price.field("reasoning_per_1m")), optionalCount(price.field("max_input_tokens")),
          optionalPrice(price.field("input_audio_per_1m")), optionalPrice(price.field("output_audio_per_1m"))));
    });
    return out;
  }
}
