package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatFixtures;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  final TokenCounter counter = TokenCounter.shared();

  /** The example conversation of OpenAI's cookbook "How to count tokens with tiktoken". */
  static final String COOKBOOK_MESSAGES = """
      [{"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
       {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
       {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
       {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
       {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
       {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}]""";

  @Test
  void countsAChatPromptTheWayOpenAisCookbookDoes() {
    // The cookbook reports 129 prompt tokens for gpt-4 (cl100k_base) and 124 for gpt-4o (o200k_base).
    assertThat(counter.promptTokens(ChatFixtures.request("gpt-4", COOKBOOK_MESSAGES, 1, false, "{}", "{}")))
        .isEqualTo(129);
    assertThat(counter.promptTokens(ChatFixtures.request("gpt-4o", COOKBOOK_MESSAGES, 1, false, "{}", "{}")))
        .isEqualTo(124);
  }

  @Test
  void countsTextWithAnUnpairedSurrogateAsTheReplacementCharacterUtf8WouldCarry() {
    // JSON may carry a lone "\\ud800" escape; jtokkit rejects such text with an AssertionError.
    for (String model : new String[] {"gpt-4", "gpt-4o", "claude-haiku-4-5"}) {
      assertThat(counter.textTokens(model, "a\ud800b\ude00")).isEqualTo(counter.textTokens(model, "a\ufffdb\ufffd"));
      assertThat(counter.promptTokens(ChatFixtures.request(model,
          "[{\"role\": \"user\", \"content\": \"a\\ud800b\"}]", 1, false, "{}", "{}"))).isPositive();
    }
    assertThat(counter.textTokens("gpt-4", "pair \ud83d\ude00 kept")).isEqualTo(counter.textTokens("gpt-4", "pair 😀 kept"));
  }

  @Test
  void countsASingleShortMessage() {
    // 3 for the message + "user" (1) + "Hello" (1) + 3 to prime the reply
    assertThat(counter.promptTokens(ChatFixtures.request("gpt-4o-mini",
        "[{\"role\": \"user\", \"content\": \"Hello\"}]", 1, false, "{}", "{}"))).isEqualTo(8);
  }

  @Test
  void picksTheEncodingByModelFamily() {
    assertThat(counter.encodingName("gpt-4o-mini")).isEqualTo("o200k_base");
    assertThat(counter.encodingName("gpt-4.1-nano")).isEqualTo("o200k_base");
    assertThat(counter.encodingName("gpt-5")).isEqualTo("o200k_base");
    assertThat(counter.encodingName("o3-mini")).isEqualTo("o200k_base");
    assertThat(counter.encodingName("ft:gpt-4o-mini-2024-07-18:acme::abc")).isEqualTo("o200k_base");
    assertThat(counter.encodingName("gpt-4")).isEqualTo("cl100k_base");
    assertThat(counter.encodingName("gpt-3.5-turbo")).isEqualTo("cl100k_base");
    // Other providers' tokenizers are not public in Java: cl100k_base approximates them.
    assertThat(counter.encodingName("claude-haiku-4-5")).isEqualTo("cl100k_base");
    assertThat(counter.encodingName("mistral-small-latest")).isEqualTo("cl100k_base");
  }

  @Test
  void countsToolDefinitionsAndImagesIntoThePrompt() {
    String hi = "[{\"role\": \"user\", \"content\": \"Hi\"}]";
    long plain = counter.promptTokens(ChatFixtures.request("gpt-4o", hi, 1, false, "{}", "{}"));
    long withTools = counter.promptTokens(ChatFixtures.request("gpt-4o", hi, 1, false,
        "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"lookup\"}}]}", "{}"));
    assertThat(withTools).isGreaterThan(plain + 5);
    long image = counter.promptTokens(ChatFixtures.request("gpt-4o", """
        [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "low"}}]}]""",
        1, false, "{}", "{}"));
    assertThat(image).isEqualTo(3 + 1 + 85 + 3);
  }

  @Test
  void countsTextThatLooksLikeSpecialTokensAsOrdinaryText() {
    assertThat(counter.textTokens("gpt-4o", "<|endoftext|>")).isGreaterThan(1);
  }
}
