package io.reliapi.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.OpenAiHosts;
import io.reliapi.config.OpenAiHosts.Host;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The name a Chat Completions call carries its output limit under. */
class OutputLimitNameTest {
  static final Dialect OPENAI = new Dialect() {};
  static final Dialect ONLY_MAX_TOKENS = new FixedLimitName(OPENAI, false);
  static final Dialect ONLY_COMPLETION_TOKENS = new FixedLimitName(OPENAI, true);

  @ParameterizedTest
  @ValueSource(strings = {"o1", "o1-mini", "o3", "o3-mini-2025-01-31", "o3-pro", "o4-mini", "gpt-5", "gpt-5-mini",
      "gpt-5-nano-2025-08-07", "gpt-5.1", "gpt-5.1-codex", "GPT-5", "codex-mini-latest", "ft:o4-mini-2025-04-16:org::x"})
  void readsOpenAisReasoningModels(String model) {
    assertThat(OutputLimitName.reasons(model)).isTrue();
  }

  /** A router's {@code vendor/model} id is left to the router, which takes max_tokens and translates it. */
  @ParameterizedTest
  @ValueSource(strings = {"gpt-4o", "gpt-4.1-mini", "gpt-3.5-turbo", "gpt-oss-120b", "llama3.2", "omni-moderation",
      "openai/gpt-5", "openai/o3", "my-o3-deployment", "gpt-50", ""})
  void leavesOtherModelsAndRoutersIds(String model) {
    assertThat(OutputLimitName.reasons(model)).isFalse();
  }

  /**
   * OpenAI's own API gets max_completion_tokens whatever the client wrote or the model is; Azure gets it for a
   * reasoning model, else the client's name; any other server the client's name, max_tokens when it sent none (found
   * in review: a local alias gpt-5 or o3-mini got max_completion_tokens, which Ollama ignores, and lost its cap).
   */
  @ParameterizedTest
  @CsvSource({
      "OPENAI, gpt-4o, false, max_completion_tokens",
      "OPENAI, gpt-5, false, max_completion_tokens",
      "OPENAI, llama3.2, true, max_completion_tokens",
      "AZURE, o3-mini, false, max_completion_tokens",
      "AZURE, gpt-5, false, max_completion_tokens",
      "AZURE, gpt-4o, false, max_tokens",
      "AZURE, gpt-4o, true, max_completion_tokens",
      "OTHER, gpt-5-mini, false, max_tokens",
      "OTHER, o3-mini, false, max_tokens",
      "OTHER, gpt-5, true, max_completion_tokens",
      "OTHER, llama3.2, false, max_tokens",
      "OTHER, llama3.2, true, max_completion_tokens",
      "OTHER, openai/gpt-5, false, max_tokens"})
  void namesTheLimitByHostModelAndTheClientsName(Host host, String model, boolean clients, String expected) {
    assertThat(OutputLimitName.of(OPENAI, host, model, clients)).isEqualTo(expected);
  }

  @Test
  void aServerThatTakesOnlyMaxTokensAlwaysGetsIt() {
    assertThat(OutputLimitName.of(ONLY_MAX_TOKENS, Host.OPENAI, "gpt-5", true)).isEqualTo("max_tokens");
    assertThat(OutputLimitName.of(ONLY_MAX_TOKENS, Host.AZURE, "o3", false)).isEqualTo("max_tokens");
    Dialect mistralLike = new Dialect() {
      @Override
      public boolean acceptsMaxCompletionTokens() {
        return false;
      }
    };
    assertThat(OutputLimitName.of(mistralLike, Host.OTHER, "o3", true)).isEqualTo("max_tokens");
  }

  /**
   * Found in review: behind a proxy (Azure API Management, Cloudflare AI Gateway, Helicone) gpt-5 and o3 got
   * max_tokens, which they refuse with a 400; {@code max_tokens_field: max_completion_tokens} forces the name.
   */
  @ParameterizedTest
  @CsvSource({"OTHER, gpt-5, false", "OTHER, llama3.2, false", "AZURE, gpt-4o, false", "OPENAI, o3, true"})
  void aServerSetToMaxCompletionTokensAlwaysGetsIt(Host host, String model, boolean clients) {
    assertThat(OutputLimitName.of(ONLY_COMPLETION_TOKENS, host, model, clients)).isEqualTo("max_completion_tokens");
  }

  /** Found in review: Azure OpenAI's other hosts counted as any server, so a reasoning model there got max_tokens. */
  @ParameterizedTest
  @CsvSource({
      "https://res.openai.azure.com/openai/deployments/o3, AZURE",
      "https://res.cognitiveservices.azure.com/openai/v1, AZURE",
      "https://res.openai.azure.us/openai/deployments/o3, AZURE",
      "https://res.openai.azure.cn/openai/deployments/o3, AZURE",
      "https://RES.CognitiveServices.Azure.US/openai/v1, AZURE",
      "https://res.cognitiveservices.azure.cn/openai/v1, AZURE",
      "https://api.openai.com/v1, OPENAI",
      "https://corp.azure-api.net/openai, OTHER",
      "https://openai.azure.com.evil.example/v1, OTHER",
      "http://localhost:11434/v1, OTHER"})
  void readsAzureOpenAisHostsInEveryCloud(String url, Host host) {
    assertThat(OpenAiHosts.of(URI.create(url))).isEqualTo(host);
    String expected = host == Host.OTHER ? "max_tokens" : "max_completion_tokens";
    assertThat(OutputLimitName.of(OPENAI, OpenAiHosts.of(URI.create(url)), "o3", false)).isEqualTo(expected);
  }
}
