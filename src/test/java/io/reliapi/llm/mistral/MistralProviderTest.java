package io.reliapi.llm.mistral;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.http.Headers;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatFixtures.Recorded;
import io.reliapi.llm.Usage;
import io.reliapi.testing.LlmBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MistralProviderTest {
  final MistralProvider provider = new MistralProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.MISTRAL, "2023-06-01");
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @Test
  void dropsTheOpenAiFieldsMistralRejectsAndRenamesTheOnesItSpellsDifferently() {
    JsonNode body = body(provider.call(request("mistral-small-latest", HI, 200, true, """
        {"max_completion_tokens": 500, "store": false, "user": "u", "logprobs": true, "seed": 42,
         "tool_choice": "required", "stream_options": {"include_usage": true}, "response_format": {"type": "json_object"},
         "presence_penalty": 0.5}""", "{\"safe_prompt\": true}"), llm));

    assertThat(body).isEqualTo(json("""
        {"random_seed": 42, "tool_choice": "any", "response_format": {"type": "json_object"}, "presence_penalty": 0.5,
         "model": "mistral-small-latest", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 200,
         "stream": true, "safe_prompt": true}"""));
  }

  @Test
  void givesToolCallsFromOtherProvidersIdsMistralAccepts() {
    // Mistral refuses any tool-call id but nine letters and digits (400 "Tool call id was toolu_01… but must be
    // a-z, A-Z, 0-9, with a length of 9."): a conversation begun with Anthropic or OpenAI could not go on there.
    JsonNode messages = body(provider.call(request("mistral-small-latest", """
        [{"role": "user", "content": "Weather in Paris and Oslo?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "toolu_01A09q90qw90lq917835lq9", "type": "function", "function": {"name": "w", "arguments": "{}"}},
           {"id": "call_Kd8s", "type": "function", "function": {"name": "w", "arguments": "{}"}},
           {"id": "D681PevKs", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "toolu_01A09q90qw90lq917835lq9", "content": "18C"},
         {"role": "tool", "tool_call_id": "call_Kd8s", "content": "-3C"},
         {"role": "tool", "tool_call_id": "D681PevKs", "content": "5C"}]""", 200, false, "{}", "{}"), llm))
        .get("messages");

    JsonNode calls = messages.get(1).get("tool_calls");
    for (int i = 0; i < 3; i++) {
      String id = calls.get(i).get("id").asText();
      assertThat(id).matches("[a-zA-Z0-9]{9}");
      assertThat(messages.get(2 + i).get("tool_call_id").asText()).as("the result names its call").isEqualTo(id);
    }
    assertThat(calls.get(2).get("id").asText()).as("Mistral's own id stays").isEqualTo("D681PevKs");
    assertThat(calls.get(0).get("id").asText()).isNotEqualTo(calls.get(1).get("id").asText());
  }

  @Test
  void fitsTheIdsOnItsOwnCopyLeavingTheRequestAsTheClientSentIt() {
    // A fallback sends the same request to another provider: had the Mistral call rewritten the calls' ids where
    // they are, the fallback would name calls by Mistral ids and their results by the originals (a 400 there).
    ChatRequest request = request("mistral-small-latest", """
        [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "call_Kd8s", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "call_Kd8s", "content": "18C"}]""", 200, false, "{}", "{}");
    String before = ChatJson.canonical(request).toString();

    JsonNode sent = body(provider.call(request, llm)).get("messages");

    assertThat(sent.get(1).get("tool_calls").get(0).get("id").asText()).matches("[a-zA-Z0-9]{9}");
    assertThat(ChatJson.canonical(request).toString()).isEqualTo(before);
    assertThat(request.messages().get(1).toolCalls().orElseThrow().get(0).get("id").asText()).isEqualTo("call_Kd8s");
  }

  @Test
  void normalisesContentChunksAndModelLengthToOpenAisShape() {
    var completion = provider.complete(LlmBehaviors.mistralCompletion("magistral-medium-latest", """
        [{"type": "thinking", "thinking": [{"type": "text", "text": "Let me think"}]}, {"type": "text", "text": "42"}]""",
        "model_length", 20, 30).getBytes(StandardCharsets.UTF_8), 0);

    assertThat(completion.completion().content()).isEqualTo("42");
    assertThat(completion.completion().finishReason()).isEqualTo("length");
    assertThat(completion.completion().usage()).isEqualTo(Usage.reported(20, 30));
    JsonNode canonical = json(completion.json().toString());
    assertThat(canonical.get("choices").get(0).get("message").get("content").asText()).isEqualTo("42");
    assertThat(canonical.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void keepsAPlainAnswerByteForByte() {
    String answer = LlmBehaviors.mistralCompletion("mistral-small-latest", "\"Hello\"", "stop", 5, 2);
    assertThat(provider.complete(answer.getBytes(StandardCharsets.UTF_8), 0).json().toString()).isEqualTo(answer);
  }

  @Test
  void readsUsageFromTheLastChunkOfAStream() {
    var decoder = provider.decoder(0);
    Recorded out = decode(decoder, LlmBehaviors.mistralStreamEvents("mistral-small-latest", List.of("Bon", "jour"), 7, 3));
    assertThat(out.text()).isEqualTo("Bonjour");
    assertThat(out.complete).isTrue();
    assertThat(decoder.usage()).isEqualTo(Usage.reported(7, 3));
    assertThat(decoder.finishReason()).isEqualTo("stop");
  }

  @Test
  void readsItsFlatErrorBodies() {
    assertThat(provider.error("""
        {"object": "error", "message": {"detail": [{"type": "extra_forbidden", "loc": ["body", "store"],
         "msg": "Extra inputs are not permitted"}]}, "type": "invalid_request_error", "param": null, "code": null}"""
        .getBytes(StandardCharsets.UTF_8)).describe()).contains("invalid_request_error");
    assertThat(provider.error("{\"message\": \"Unauthorized\", \"request_id\": \"abc\"}".getBytes(StandardCharsets.UTF_8))
        .describe()).isEmpty();
  }

  @Test
  void derivesRetryAfterFromItsRateLimitResetOnA429() {
    Headers limited = provider.normalize(429, Headers.of("ratelimitbysize-reset", "7", "ratelimitbysize-remaining", "0"));
    assertThat(limited.get("Retry-After")).isEqualTo("7");
    assertThat(provider.normalize(429, Headers.of("ratelimitbysize-reset", "7", "Retry-After", "3")).get("Retry-After"))
        .isEqualTo("3");
    assertThat(provider.normalize(200, Headers.of("ratelimitbysize-reset", "7")).get("Retry-After")).isNull();
  }
}
