package io.reliapi.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where OpenAI's own API is served, as opposed to the other servers that speak its protocol (vLLM, Ollama, LiteLLM,
 * …), whose defaults and limits differ.
 */
public final class OpenAiHosts {
  /** OpenAI's API. */
  static final String OPENAI = "api.openai.com";
  /**
   * An Azure OpenAI resource: OpenAI's models, served with OpenAI's limits. {@code <resource>.openai.azure.com}, or
   * {@code <resource>.cognitiveservices.azure.com} (an AI Services resource), in Azure's public cloud, its US
   * Government cloud ({@code .us}) and its China cloud ({@code .cn}).
   */
  private static final List<String> AZURE_SUFFIXES = List.of(".openai.azure.com", ".openai.azure.us",
      ".openai.azure.cn", ".cognitiveservices.azure.com", ".cognitiveservices.azure.us",
      ".cognitiveservices.azure.cn");

  private OpenAiHosts() {}

  /** Which kind of server of OpenAI's protocol an attempt is sent to, for the limits and defaults that differ. */
  public enum Host {
    /** OpenAI's API itself. */
    OPENAI,
    /** An Azure OpenAI resource: OpenAI's limits, but its own API versions. */
    AZURE,
    /** Any other server of the protocol (vLLM, Ollama, LiteLLM, …), or a provider other than OpenAI. */
    OTHER;

    /** Returns whether the server holds calls to OpenAI's own limits (OpenAI's API, or an Azure OpenAI resource). */
    public boolean hasOpenAisLimits() {
      return this != OTHER;
    }
  }

  /** Returns which kind of server {@code url} is. */
  public static Host of(URI url) {
    return isOpenAi(url) ? Host.OPENAI : hasOpenAisLimits(url) ? Host.AZURE : Host.OTHER;
  }

  /** Returns whether {@code url} is OpenAI's API itself. */
  public static boolean isOpenAi(URI url) {
    return OPENAI.equalsIgnoreCase(url.getHost());
  }

  /** Returns whether {@code url} is OpenAI's API or an Azure OpenAI resource: a server with OpenAI's own limits. */
  public static boolean hasOpenAisLimits(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    return isOpenAi(url) || AZURE_SUFFIXES.stream().anyMatch(host::endsWith);
  }
}
