package io.reliapi.llm.openai;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatFixtures.Recorded;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.Usage;
import io.reliapi.testing.LlmBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
  final OpenAiProvider provider = new OpenAiProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.OPENAI, "2023-06-01");
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @Test
  void postsToChatCompletionsWithTheClientsFieldsAndTheGatewaysDecisions() {
    HttpCall call = provider.call(request("gpt-4o", HI, 300, false,
        "{\"logprobs\": true, \"model\": \"ignored\", \"stream_options\": {\"include_usage\": true}}",
        "{\"seed\": 3}"), llm);

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.pathAndQuery()).isEqualTo("/chat/completions");
    assertThat(call.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(body(call)).isEqualTo(json("""
        {"logprobs": true, "model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}],
         "max_tokens": 300, "seed": 3}"""));
  }

  @Test
  void sendsToolCallIdsAsTheClientWroteThemHoweverLong() {
    // Servers speaking OpenAI's protocol carry state in their ids (LiteLLM keeps a Gemini 3 thought signature in
    // one, and needs it back whole), so ids over OpenAI's own 40 characters are not shortened.
    ChatRequest request = ChatFixtures.toolConversation("gpt-4o");
    JsonNode written = ChatJson.openAiMessages(request.messages());

    JsonNode messages = body(provider.call(request, llm)).get("messages");

    assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText())
        .isEqualTo(written.get(1).get("tool_calls").get(0).get("id").asText()).hasSizeGreaterThan(40);
    assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo(written.get(2).get("tool_call_id").asText());
  }

  @Test
  void asksForTheUsageChunkWhenStreamingAndKeepsTheClientsStreamOptions() {
    HttpCall call = provider.call(request("gpt-4o", HI, 300, true, "{\"stream_options\": {\"x\": 1}}", "{}"), llm);
    JsonNode body = body(call);
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("stream_options")).isEqualTo(json("{\"x\": 1, \"include_usage\": true}"));
    assertThat(call.headers().get("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void sendsTheCappedLimitUnderTheFieldNameTheClientUsed() {
    HttpCall call = provider.call(request("o3", HI, 300, false, "{\"max_completion_tokens\": 5000}", "{}"), llm);
    assertThat(body(call).get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(body(call).has("max_tokens")).isFalse();
  }

  @Test
  void keepsThePartsAndToolCallsOfMessages() {
    HttpCall call = provider.call(request("gpt-4o", """
        [{"role": "user", "content": [{"type": "text", "text": "What is this?"},
           {"type": "image_url", "image_url": {"url": "https://x/cat.png", "detail": "low"}}]},
         {"role": "assistant", "content": null,
          "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "call_1", "content": "42"}]""", 10, false, "{}", "{}"), llm);
    JsonNode messages = body(call).get("messages");
    assertThat(messages.get(0).get("content").get(1).get("image_url").get("detail").asText()).isEqualTo("low");
    assertThat(messages.get(1).get("content").isNull()).isTrue();
    assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo("call_1");
    assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo("call_1");
  }

  @Test
  void neverTakesTheGatewaysStoredItemsMemberFromAProvider() {
    String answer = LlmBehaviors.openAiCompletion("gpt-4o-mini", "Hello!", "stop", 9, 3).replace(
        "\"content\":\"Hello!\"", "\"content\":\"Hello!\",\"reliapi_protocol_items\":[{\"at\":0,"
            + "\"protocol\":\"ANTHROPIC_MESSAGES\",\"item\":{\"type\":\"tool_use\",\"id\":\"toolu_x\"},\"text\":\"\"}]");
    assertThat(answer).as("the fixture carries the member").contains("reliapi_protocol_items");

    ParsedAnswer completion = provider.complete(answer.getBytes(StandardCharsets.UTF_8), 0);

    assertThat(completion.completion().items()).isEmpty();
    assertThat(completion.json().toString()).as("nor kept for a replay to read").doesNotContain("reliapi_protocol_items");
    assertThat(completion.completion().content()).isEqualTo("Hello!");
  }

  @Test
  void readsAnAnswerAndKeepsItsOwnBytesAsTheCanonicalForm() {
    String answer = LlmBehaviors.openAiCompletion("gpt-4o-mini-2024-07-18", "Hello!", "stop", 9, 3);
    ParsedAnswer completion = provider.complete(answer.getBytes(StandardCharsets.UTF_8), 0);

    assertThat(completion.completion().content()).isEqualTo("Hello!");
    assertThat(completion.completion().finishReason()).isEqualTo("stop");
    assertThat(completion.completion().model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(completion.completion().usage()).isEqualTo(Usage.reported(9, 3));
    assertThat(completion.json().toString()).isEqualTo(answer);
  }

  @Test
  void readsTheStopSequenceAServerNamesInTheChoicesStopReasonAsVllmDoes() {
    String named = LlmBehaviors.openAiCompletion("m", "1 2 3", "stop", 9, 3)
        .replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"stop\",\"stop_reason\":\"4\"");
    assertThat(provider.complete(named.getBytes(StandardCharsets.UTF_8), 0).completion().stopSequence()).isEqualTo("4");
    String token = named.replace("\"stop_reason\":\"4\"", "\"stop_reason\":128009");
    assertThat(provider.complete(token.getBytes(StandardCharsets.UTF_8), 0).completion().stopSequence())
        .as("a stop token's id is no sequence").isNull();

    List<String> events = new ArrayList<>();
    for (String event : LlmBehaviors.openAiStreamEvents("m", List.of("1 2 3"), 9, 2)) {
      events.add(event.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"stop\",\"stop_reason\":\"4\""));
    }
    Recorded out = decode(provider.decoder(0), events);
    assertThat(out.chunks.stream().flatMap(c -> c.parts().stream()))
        .contains(new ChatChunk.Finish("stop", "4"));
  }

  @Test
  void reportsAnAnswerWithoutUsageAsHavingNone() {
    var completion = provider.complete("""
        {"choices": [{"message": {"role": "assistant", "content": "x"}, "finish_reason": "stop"}]}"""
        .getBytes(StandardCharsets.UTF_8), 0);
    assertThat(completion.completion().usage()).isNull();
  }

  @Test
  void refusesAnAnswerItCannotUnderstand() {
    for (String bad : List.of("not json", "{\"choices\": 3}", "{\"choices\": [{\"text\": \"legacy\"}]}", "[]")) {
      var error = failure(() -> provider.complete(bad.getBytes(StandardCharsets.UTF_8), 0));
      assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
      assertThat(error.sentUpstream()).isTrue();
    }
  }

  @Test
  void readsTheTypeAndCodeOfAnErrorButNotItsMessage() {
    ProviderError error = provider.error("""
        {"error": {"message": "Incorrect API key provided: sk-proj-****WXYZ.", "type": "invalid_request_error",
         "param": null, "code": "invalid_api_key"}}""".getBytes(StandardCharsets.UTF_8));
    assertThat(error.describe()).contains("invalid_request_error/invalid_api_key");
    assertThat(error.toString()).doesNotContain("sk-proj");
    assertThat(provider.error("<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(ProviderError.none());
  }

  @Test
  void decodesAStreamIntoTextFinishReasonUsageAndItsEnd() {
    Recorded out = decode(provider.decoder(0), LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2));

    assertThat(out.text()).isEqualTo("Hello");
    assertThat(out.complete).isTrue();
    assertThat(out.chunks).hasSize(5);
    assertThat(out.chunks.get(3).finishReason()).isEqualTo("stop");
    assertThat(out.chunks.get(4).usageOnly()).isTrue();
    assertThat(out.chunks.get(1).json()).isEqualTo(
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2).get(1).substring(6).strip());
    var decoder = provider.decoder(0);
    decode(decoder, LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 9, 2));
    assertThat(decoder.usage()).isEqualTo(Usage.reported(9, 2));
    assertThat(decoder.finishReason()).isEqualTo("stop");
  }

  @Test
  void isNotCompleteWithoutDone() {
    var events = LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel"), 9, 2);
    assertThat(decode(provider.decoder(0), events.subList(0, events.size() - 1)).complete).isFalse();
  }

  @Test
  void reportsAnErrorSentInsideTheStream() {
    Recorded out = decode(provider.decoder(0), List.of(
        "data: {\"error\": {\"message\": \"Rate limit\", \"type\": \"tokens\", \"code\": \"rate_limit_exceeded\"}}\n\n"));
    assertThat(out.errorStatus).isEqualTo(429);
  }

  @Test
  void refusesAMalformedChunk() {
    var error = failure(() -> decode(provider.decoder(0), List.of("data: {\"choices\": [{\"delta\"\n\n")));
    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    var noChoices = failure(() -> decode(provider.decoder(0), List.of("data: {\"id\": \"x\"}\n\n")));
    assertThat(noChoices.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
  }

  @Test
  void sendsTheTargetsSecretAsABearerToken() {
    var config = io.reliapi.config.ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini}
            auth: {type: bearer_env, env_var: KEY}
          vllm:
            base_url: http://vllm:8000/v1
            llm: {provider: openai, default_model: llama}
            auth: {type: header_env, env_var: KEY, header: X-Token, prefix: "t "}
        """, name -> "secret");
    assertThat(provider.credentials(config.target("openai").orElseThrow()).get("Authorization")).isEqualTo("Bearer secret");
    assertThat(provider.credentials(config.target("vllm").orElseThrow()).get("X-Token")).isEqualTo("t secret");
  }
}
