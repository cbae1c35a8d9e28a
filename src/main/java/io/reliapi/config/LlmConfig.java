package io.reliapi.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a target an LLM target: its provider protocol, default model, caps, budget and prices, the
 * path prefixes its raw routes ({@code /t/}, {@code /proxy/http}) may reach besides the priced chat endpoint,
 * its requests and tokens per minute, the query parameters every provider call carries ({@code llm.query}, e.g.
 * Azure OpenAI's {@code api-version}), the name an OpenAI-protocol server reads the output limit under, and how
 * its faults are met ({@link LlmFaultRules}).
 *
 * @param responsesApi whether the target also serves OpenAI's Responses API ({@code /responses}), so a
 *                     {@code /v1/responses} request is sent to it as written rather than translated to chat
 *                     ({@code llm.responses_api}; default: true for {@code provider: openai} whose attempts all
 *                     go to {@code api.openai.com}, its deployments' URLs included, false otherwise)
 * @param referenceTokens what each piece of content by reference (a file the provider has stored or fetches) counts
 *                        in a cost estimate, where the operator knows its files are small
 *                        ({@code llm.reference_tokens}); empty: such a request counts its model's context window
 * @param structuredOutputs how a strict JSON schema reaches an Anthropic target ({@code llm.structured_outputs})
 * @param openAiHost whether the target is OpenAI's own API, an Azure OpenAI resource or another server (read from
 *                   its own {@code base_url}; {@code OTHER} for a provider other than OpenAI): OpenAI's and Azure's
 *                   limits are not shared by the other servers of OpenAI's protocol, and OpenAI's API takes the output
 *                   limit as {@code max_completion_tokens} for every model; an attempt sent to a deployment decides it
 *                   by the deployment's URL ({@link #sentTo})
 */
public record LlmConfig(
    Provider provider,
    String defaultModel,
    int maxTokens,
    Optional<Double> softCostCapUsd,
    Optional<Double> hardCostCapUsd,
    int minOutputTokens,
    Optional<BudgetConfig> budget,
    Map<String, ModelPrice> prices,
    String anthropicVersion,
    List<String> rawPaths,
    Optional<LlmLimitsConfig> limits,
    Map<String, String> query,
    MaxTokensField maxTokensField,
    boolean responsesApi,
    LlmFaultRules faults,
    Optional<Integer> referenceTokens,
    StructuredOutputs structuredOutputs,
    OpenAiHosts.Host openAiHost) {

  public static final int DEFAULT_MAX_TOKENS = 1024;
  public static final int DEFAULT_MIN_OUTPUT_TOKENS = 16;
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  public LlmConfig {
    prices = Map.copyOf(prices);
    rawPaths = List.copyOf(rawPaths);
    // In the order the file writes them, so calls carry the parameters in that order.
    query = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
  }

  /**
   * An LLM target without request and token limits or query parameters of its own, sending the output limit
   * under the client's name, without the Responses API, meeting faults the default way.
   */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion, List<String> rawPaths) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, rawPaths, Optional.empty(), Map.of(), MaxTokensField.AS_SENT, false,
        LlmFaultRules.DEFAULTS);
  }

  /** An LLM target whose faults are met the default way. */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion, List<String> rawPaths,
      Optional<LlmLimitsConfig> limits, Map<String, String> query, MaxTokensField maxTokensField,
      boolean responsesApi) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, rawPaths, limits, query, maxTokensField, responsesApi, LlmFaultRules.DEFAULTS);
  }

  /** An LLM target that counts content by reference at its model's context window. */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion, List<String> rawPaths,
      Optional<LlmLimitsConfig> limits, Map<String, String> query, MaxTokensField maxTokensField,
      boolean responsesApi, LlmFaultRules faults) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, rawPaths, limits, query, maxTokensField, responsesApi, faults, Optional.empty(),
        StructuredOutputs.AUTO, OpenAiHosts.Host.OTHER);
  }

  /** An LLM target whose raw routes reach only the chat endpoint. */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, List.of(), Optional.empty(), Map.of(), MaxTokensField.AS_SENT, false,
        LlmFaultRules.DEFAULTS);
  }

  /**
   * Returns this config for one attempt sent to {@code baseUrl} (the target's, or the chosen deployment's): held to
   * OpenAI's own limits exactly where that URL is OpenAI's API or an Azure OpenAI resource, whatever the target's
   * other URLs are.
   */
  public LlmConfig sentTo(URI baseUrl) {
    OpenAiHosts.Host host = openAiHost(provider, baseUrl);
    return host == openAiHost ? this : new LlmConfig(provider, defaultModel, maxTokens, softCostCapUsd,
        hardCostCapUsd, minOutputTokens, budget, prices, anthropicVersion, rawPaths, limits(), query, maxTokensField,
        responsesApi, faults, referenceTokens, structuredOutputs, host);
  }

  /** Returns which server of OpenAI's protocol a target of {@code provider} at {@code baseUrl} is. */
  static OpenAiHosts.Host openAiHost(Provider provider, URI baseUrl) {
    return provider == Provider.OPENAI ? OpenAiHosts.of(baseUrl) : OpenAiHosts.Host.OTHER;
  }

  /** Returns whether calls are held to OpenAI's own limits: OpenAI's API, or an Azure OpenAI resource. */
  public boolean openAiLimits() {
    return openAiHost.hasOpenAisLimits();
  }

  public boolean hasCaps() {
    return softCostCapUsd.isPresent() || hardCostCapUsd.isPresent();
  }

  public enum Provider { OPENAI, ANTHROPIC, MISTRAL, GEMINI }

  /**
   * Under which name an OpenAI-protocol call carries its output limit ({@code llm.max_tokens_field}): the one the
   * client used ({@code max_completion_tokens} or {@code max_tokens}), or always {@code max_tokens}, for servers
   * that ignore or refuse {@code max_completion_tokens} (Ollama, older Azure OpenAI API versions), or always {@code
   * max_completion_tokens}, for OpenAI's reasoning models behind a proxy whose host does not tell (Azure API
   * Management, Cloudflare AI Gateway, Helicone).
   */
  public enum MaxTokensField { AS_SENT, MAX_TOKENS, MAX_COMPLETION_TOKENS }

  /**
   * How a strict JSON schema ({@code response_format}, {@code text.format}) reaches an Anthropic target
   * ({@code llm.structured_outputs}): as its structured outputs ({@code output_config.format}) when the model id reads
   * as one that has them, else as an instruction in the system prompt ({@code AUTO}); always as structured outputs
   * ({@code NATIVE}, for ids the gateway cannot read: aliases, Bedrock inference profiles, new families); always as
   * the instruction ({@code PROMPT}, for models that refuse the field whatever their id says).
   */
  public enum StructuredOutputs { AUTO, NATIVE, PROMPT }

  /**
   * USD per one million tokens. The optional prices apply to the parts of the usage that providers bill
   * apart: prompt tokens read from or written to the provider's prompt cache, and completion tokens spent on
   * reasoning; where one is absent, those tokens cost the input price (cache) or the output price (reasoning).
   * {@code maxInputTokens} is the model's context window, the most prompt tokens a call can be billed for: it
   * bounds the estimate of a request with content by reference (a file the provider has stored or fetches).
   * {@code inputAudioPer1m} and {@code outputAudioPer1m} price audio tokens (OpenAI's audio models); a model without
   * them has no known audio price: reported audio tokens cost the text prices, and a capped or budgeted target
   * refuses audio (docs/guides/budget-control.md, "Audio").
   */
  public record ModelPrice(double inputPer1m, double outputPer1m, Optional<Double> cacheReadPer1m,
      Optional<Double> cacheWritePer1m, Optional<Double> reasoningPer1m, Optional<Long> maxInputTokens,
      Optional<Double> inputAudioPer1m, Optional<Double> outputAudioPer1m) {

    /** A price without audio prices. */
    public ModelPrice(double inputPer1m, double outputPer1m, Optional<Double> cacheReadPer1m,
        Optional<Double> cacheWritePer1m, Optional<Double> reasoningPer1m, Optional<Long> maxInputTokens) {
      this(inputPer1m, outputPer1m, cacheReadPer1m, cacheWritePer1m, reasoningPer1m, maxInputTokens,
          Optional.empty(), Optional.empty());
    }

    /** A price whose model's context window is not known. */
    public ModelPrice(double inputPer1m, double outputPer1m, Optional<Double> cacheReadPer1m,
        Optional<Double> cacheWritePer1m, Optional<Double> reasoningPer1m) {
      this(inputPer1m, outputPer1m, cacheReadPer1m, cacheWritePer1m, reasoningPer1m, Optional.empty());
    }

    /** A price with no separate cache or reasoning prices. */
    public ModelPrice(double inputPer1m, double outputPer1m) {
      this(inputPer1m, outputPer1m, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Returns the price of a prompt token read from the provider's cache: its own, else the input price. */
    public double cacheReadOrInput() {
      return cacheReadPer1m.orElse(inputPer1m);
    }

    /** Returns the price of a prompt token written to the provider's cache: its own, else the input price. */
    public double cacheWriteOrInput() {
      return cacheWritePer1m.orElse(inputPer1m);
    }

    /** Returns the price of a reasoning token: its own, else the output price. */
    public double reasoningOrOutput() {
      return reasoningPer1m.orElse(outputPer1m);
    }

    /** Returns the price of an audio prompt token: its own, else the input price. */
    public double inputAudioOrInput() {
      return inputAudioPer1m.orElse(inputPer1m);
    }

    /** Returns the price of an audio completion token: its own, else the output price. */
    public double outputAudioOrOutput() {
      return outputAudioPer1m.orElse(outputPer1m);
    }
  }
}
