package io.reliapi.config;

import java.net.URI;
import java.util.Locale;

/**
 * Where OpenAI's own API is served, as opposed to the other servers that speak its protocol (vLLM, Ollama, LiteLLM,
 * …), whose defaults and limits differ.
 */
public final class OpenAiHosts {
  /** OpenAI's API. */
  static final String OPENAI = "api.openai.com";
  /** An Azure OpenAI resource, {@code <resource>.openai.azure.com}: OpenAI's models, served with OpenAI's limits. */
  private static final String AZURE_SUFFIX = ".openai.azure.com";

  private OpenAiHosts() {}

  /** Returns whether {@code url} is OpenAI's API itself. */
  public static boolean isOpenAi(URI url) {
    return OPENAI.equalsIgnoreCase(url.getHost());
  }

  /** Returns whether {@code url} is OpenAI's API or an Azure OpenAI resource: a server with OpenAI's own limits. */
  public static boolean hasOpenAisLimits(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    return isOpenAi(url) || host.endsWith(AZURE_SUFFIX);
  }
}
