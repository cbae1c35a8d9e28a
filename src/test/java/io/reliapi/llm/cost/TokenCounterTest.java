package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
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

  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  long prompt(String messages, String options, String extra) {
    return counter.promptTokens(ChatFixtures.request("gpt-4o", messages, 1, false, options, extra));
  }

  @Test
  void countsEveryRequestFieldThatCarriesInput() {
    long plain = prompt(HI, "{}", "{}");
    String schema = "{\"type\": \"object\", \"properties\": {\"answer\": {\"type\": \"string\", "
        + "\"description\": \"the answer to the question, in one sentence\"}}}";
    for (String field : new String[] {
        "\"functions\": [{\"name\": \"lookup\", \"parameters\": " + schema + "}]",
        "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"lookup_weather_forecast\"}}",
        "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"schema\": "
            + schema + "}}",
        "\"prediction\": {\"type\": \"content\", \"content\": \"The quick brown fox jumps over the lazy dog.\"}",
        "\"system\": \"You are a terse assistant who answers in one sentence.\"",
        "\"tools\": [{\"name\": \"lookup\", \"input_schema\": " + schema + "}]",
        "\"some_future_field\": \"text the provider may bill as part of the prompt\""}) {
      assertThat(prompt(HI, "{" + field + "}", "{}")).as(field).isGreaterThan(plain + 5);
      assertThat(prompt(HI, "{}", "{" + field + "}")).as(field).isGreaterThan(plain + 5);
    }
  }

  @Test
  void leavesOutSettingsThatCarryNoText() {
    long plain = prompt(HI, "{}", "{}");
    assertThat(prompt(HI, """
        {"temperature": 0.5, "top_p": 0.9, "seed": 7, "n": 2, "stop": ["x"], "user": "customer-42",
         "stream_options": {"include_usage": true}, "metadata": {"team": "research"}, "logit_bias": {"50256": -100},
         "max_completion_tokens": 10, "parallel_tool_calls": false, "reasoning_effort": "low"}""", "{}"))
        .isEqualTo(plain);
  }

  @Test
  void countsEveryMemberOfAMessageToolCallsAndToolResultsIncluded() {
    long call = prompt("""
        [{"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
           "function": {"name": "lookup", "arguments": "{\\"city\\": \\"Paris\\"}"}}]}]""", "{}", "{}");
    assertThat(call).isGreaterThan(3 + 1 + 3 + 10);
    long result = prompt("""
        [{"role": "tool", "tool_call_id": "call_1", "content": "It is sunny and 24 degrees in Paris today."}]""",
        "{}", "{}");
    long resultWithoutId = prompt("""
        [{"role": "tool", "content": "It is sunny and 24 degrees in Paris today."}]""", "{}", "{}");
    assertThat(result).isGreaterThan(resultWithoutId);
    long anthropicResult = prompt("""
        [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
           "content": "It is sunny and 24 degrees in Paris today."}]}]""", "{}", "{}");
    assertThat(anthropicResult).isGreaterThan(3 + 1 + 3 + 10);
  }

  @Test
  void countsAnAnthropicBase64ImageBlockAsAnImageOfTheSizeInItsHeader() {
    long image = prompt("""
        [{"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png",
           "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"}}]}]""", "{}", "{}");
    // a 1×1 PNG: one 512-px tile on gpt-4o
    assertThat(image).isEqualTo(3 + 1 + 85 + 170 + 3);
    long byUrl = prompt("""
        [{"role": "user", "content": [{"type": "image", "source": {"type": "file", "file_id": "file_1"}}]}]""",
        "{}", "{}");
    assertThat(byUrl).isEqualTo(3 + 1 + 1445 + 3);
  }

  @Test
  void countsEachImageAtTheMostItsModelCanBeBilledForOne() {
    String image = """
        [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/a.png"}}]}]""";
    assertThat(counter.promptTokens(ChatFixtures.request("gpt-4o-mini", image, 1, false, "{}", "{}")))
        .isEqualTo(3 + 1 + 48169 + 3);
    assertThat(counter.promptTokens(ChatFixtures.request("gpt-4o", image, 1, false, "{}", "{}")))
        .isEqualTo(3 + 1 + 1445 + 3);
    ChatRequest toAnAlias = ChatFixtures.request("house-model", image, 1, false, "{}", "{}");
    assertThat(counter.promptTokens(toAnAlias, LlmConfig.Provider.ANTHROPIC)).isEqualTo(3 + 1 + 5001 + 3);
    assertThat(counter.promptTokens(toAnAlias, LlmConfig.Provider.GEMINI)).isEqualTo(3 + 1 + 4128 + 3);
    assertThat(counter.promptTokens(toAnAlias)).isEqualTo(3 + 1 + 48169 + 3);
  }

  @Test
  void countsTextThatLooksLikeSpecialTokensAsOrdinaryText() {
    assertThat(counter.textTokens("gpt-4o", "<|endoftext|>")).isGreaterThan(1);
  }
}
