package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each provider's words for a request too long for the model, told again in the words clients look for. */
class ContextOverflowTest {
  private static Optional<String> sentence(int status, String body) {
    return ContextOverflow.of(status, body.getBytes(StandardCharsets.UTF_8)).map(ContextOverflow::sentence);
  }

  @Test
  void anthropicsPromptIsTooLongKeepsItsCounts() {
    assertThat(sentence(400, """
        {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208351 tokens > \
        200000 maximum"}}""")).contains("prompt is too long: 208351 tokens > 200000 maximum, over the model's "
        + "maximum context length");
  }

  @Test
  void anthropicsInputAndMaxTokensOverTheLimitStaysThatCase() {
    assertThat(sentence(400, """
        {"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed \
        context limit: 180000 + 32000 > 200000, decrease input length or `max_tokens` and try again"}}"""))
        .contains("input length and `max_tokens` exceed context limit: 180000 + 32000 > 200000, over the model's "
            + "maximum context length");
  }

  @Test
  void openAisMessageGivesTheCountsInAnthropicsOrder() {
    assertThat(sentence(400, """
        {"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted \
        in 9631 tokens. Please reduce the length of the messages.","type":"invalid_request_error",\
        "param":"messages","code":"context_length_exceeded"}}"""))
        .contains("prompt is too long: 9631 tokens > 8192 maximum, over the model's maximum context length");
  }

  @Test
  void vllmMistralAndGeminiCountsAreRead() {
    assertThat(ContextOverflow.fromMessage("This model's maximum context length is 4096 tokens. However, you "
        + "requested 5000 tokens (4000 in the messages, 1000 in the completion).")).as("the prompt fits: max_tokens "
        + "does not").isEqualTo(new ContextOverflow(4000, 1000, 4096));
    assertThat(ContextOverflow.fromMessage("This model's maximum context length is 4096 tokens and your request has "
        + "3000 input tokens (2000 > 4096 - 3000).")).isEqualTo(new ContextOverflow(3000, 2000, 4096));
    assertThat(ContextOverflow.fromMessage("This model's maximum context length is 4096 tokens. However, your "
        + "request has 5000 input tokens.")).isEqualTo(new ContextOverflow(5000, -1, 4096));
    assertThat(ContextOverflow.fromMessage("Prompt contains 40000 tokens and 0 draft tokens, too large for model "
        + "with 32768 maximum context length")).isEqualTo(new ContextOverflow(40000, -1, 32768));
    assertThat(ContextOverflow.fromMessage("The input token count (1048577) exceeds the maximum number of tokens "
        + "allowed (1048576).")).isEqualTo(new ContextOverflow(1048577, -1, 1048576));
  }

  @Test
  void onlyAMessagesStartIsReadAndNoCountOutOfALongerRun() {
    String digits = "9".repeat(1 << 20);
    ContextOverflow read = ContextOverflow.fromMessage("prompt is too long: " + digits);
    ContextOverflow tail = ContextOverflow.fromMessage("x".repeat(4096) + "prompt is too long: 5 tokens > 4 maximum");
    assertThat(read).isEqualTo(new ContextOverflow(-1, -1, -1));
    assertThat(tail).as("only the message's start is read").isEqualTo(new ContextOverflow(-1, -1, -1));
    assertThat(ContextOverflow.fromMessage("prompt is too long: 12345678901234567890123 tokens > 5 maximum"))
        .as("no count is read out of the middle of a longer run").isEqualTo(new ContextOverflow(-1, -1, -1));
  }

  @Test
  void withoutCountsTheWordsStillSayIt() {
    assertThat(sentence(400, "{\"error\":{\"message\":\"too long\",\"code\":\"context_length_exceeded\"}}"))
        .contains("prompt is too long, over the model's maximum context length");
  }

  @Test
  void nothingElseIsAnOverflowAndNoOtherWordOfTheMessageIsKept() {
    assertThat(sentence(400, "{\"error\":{\"message\":\"Invalid value for temperature\"}}")).isEmpty();
    assertThat(sentence(500, "{\"error\":{\"code\":\"context_length_exceeded\"}}")).isEmpty();
    assertThat(sentence(400, """
        {"error":{"message":"prompt is too long: sk-secret123 tokens > key maximum","type":"invalid_request_error"}}"""))
        .hasValueSatisfying(s -> assertThat(s).doesNotContain("sk-secret").startsWith("prompt is too long, over"));
  }
}
