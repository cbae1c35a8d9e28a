package io.reliapi.llm.gemini;

import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatFixtures.Recorded;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.Usage;
import io.reliapi.testing.GeminiBehaviors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How Gemini's answers, streams and errors are read into the neutral model. */
class GeminiAnswerTest {
  final GeminiProvider provider = new GeminiProvider();

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTextThoughtsAndUsageWithCachedAndThoughtTokens() {
    ParsedAnswer parsed = provider.complete(bytes(GeminiBehaviors.answer("gemini-2.5-flash",
        "[{\"text\": \"Let me think\", \"thought\": true}, {\"text\": \"It is \"}, {\"text\": \"a cat.\"}]", "STOP",
        GeminiBehaviors.usage(11, 9, 120, 4))), 42);
    Completion completion = parsed.completion();

    assertThat(completion.content()).isEqualTo("It is a cat.");
    assertThat(completion.id()).isEqualTo(GeminiBehaviors.RESPONSE_ID);
    assertThat(completion.model()).isEqualTo("gemini-2.5-flash");
    assertThat(completion.finishReason()).isEqualTo("stop");
    assertThat(completion.usage()).isEqualTo(new Usage(11, 129, false, 4, 0, 120));
    assertThat(parsed.billedOutput()).isEqualTo("Let me thinkIt is a cat.");
    assertThat(json(parsed.json().toString()).get("usage")).isEqualTo(json("""
        {"prompt_tokens": 11, "completion_tokens": 129, "total_tokens": 140,
         "prompt_tokens_details": {"cached_tokens": 4}, "completion_tokens_details": {"reasoning_tokens": 120}}"""));
  }

  @Test
  void readsTheAudioTokensOfThePromptAndTheCandidatesFromTheirModalityDetails() {
    Completion completion = provider.complete(bytes(GeminiBehaviors.answer("gemini-2.5-flash",
        "[{\"text\": \"Noted.\"}]", "STOP", GeminiBehaviors.audioUsage(1010, 1000, 30, 20))), 0).completion();

    assertThat(completion.usage()).isEqualTo(Usage.reported(1010, 30).withAudio(1000, 20));
  }

  @Test
  void readsFunctionCallsAsToolCallsWithTheSignatureInTheirIds() {
    Completion completion = provider.complete(bytes(GeminiBehaviors.answer("gemini-3-pro-preview", """
        [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "CiQBsig=="},
         {"functionCall": {"name": "get_time", "args": {}}}]""", "STOP", GeminiBehaviors.usage(20, 10, 0, 0))), 0)
        .completion();

    assertThat(completion.content()).isNull();
    assertThat(completion.finishReason()).isEqualTo("tool_calls");
    assertThat(completion.toolCalls().orElseThrow()).isEqualTo(json("""
        [{"id": "call_tTCwacuEBMvnitYP06qsgQY_0__thought__CiQBsig==", "type": "function",
          "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
         {"id": "call_tTCwacuEBMvnitYP06qsgQY_1", "type": "function",
          "function": {"name": "get_time", "arguments": "{}"}}]"""));
    assertThat(ToolCallIds.signature("call_tTCwacuEBMvnitYP06qsgQY_0__thought__CiQBsig==")).hasValue("CiQBsig==");
    assertThat(ToolCallIds.signature("call_1")).isEmpty();
  }

  @Test
  void mapsFinishReasonsAndABlockedPrompt() {
    assertThat(GeminiFinish.toOpenAi("MAX_TOKENS", false)).isEqualTo("length");
    assertThat(GeminiFinish.toOpenAi("MAX_TOKENS", true)).isEqualTo("length");
    assertThat(GeminiFinish.toOpenAi("SAFETY", false)).isEqualTo("content_filter");
    assertThat(GeminiFinish.toOpenAi("RECITATION", false)).isEqualTo("content_filter");
    assertThat(GeminiFinish.toOpenAi("PROHIBITED_CONTENT", false)).isEqualTo("content_filter");
    assertThat(GeminiFinish.toOpenAi("OTHER", false)).isEqualTo("stop");
    assertThat(GeminiFinish.toOpenAi("MALFORMED_FUNCTION_CALL", false)).isEqualTo("stop");
    ParsedAnswer parsed = provider.complete(bytes("""
        {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []},
         "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}, "modelVersion": "gemini-2.5-flash"}"""), 0);
    Completion blocked = parsed.completion();
    assertThat(blocked.finishReason()).isEqualTo("content_filter");
    assertThat(blocked.content()).isEmpty();
    assertThat(blocked.usage()).isEqualTo(Usage.reported(8, 0));
    // Nothing billed, so the missing candidatesTokenCount leaves no output to count: the usage stands.
    assertThat(parsed.outputReported()).isTrue();
  }

  /** Gemini leaves out a count that is 0: without candidatesTokenCount, an answer with text has its output counted. */
  @Test
  void anAnswerWithTextWhoseMetadataLacksTheCandidatesCountDoesNotStateItsOutput() {
    String text = "[{\"text\":\"Hello\"}]";
    assertThat(provider.complete(bytes(GeminiBehaviors.answer("gemini-2.5-flash", text, "STOP",
        "{\"promptTokenCount\":8,\"totalTokenCount\":8}")), 0).outputReported()).isFalse();
    assertThat(provider.complete(bytes(GeminiBehaviors.answer("gemini-2.5-flash", text, "STOP",
        GeminiBehaviors.usage(8, 1, 0, 0))), 0).outputReported()).isTrue();
  }

  @Test
  void refusesAnAnswerItCannotUnderstand() {
    assertThat(failure(() -> provider.complete(bytes("{\"candidates\": []}"), 0)).code())
        .isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(failure(() -> provider.complete(bytes("[1]"), 0)).code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
  }

  @Test
  void decodesACrlfFramedStreamAndCompletesAtTheChunkWithTheFinishReason() {
    Recorded recorded = decode(provider.decoder(7),
        GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo", "!"), 9, 3));

    assertThat(recorded.text()).isEqualTo("Hello!");
    assertThat(recorded.complete).isTrue();
    assertThat(recorded.chunks.getFirst().parts().getFirst()).isInstanceOf(ChatChunk.Start.class);
    assertThat(recorded.chunks.get(2).finishReason()).isEqualTo("stop");
    ChatChunk usage = recorded.chunks.getLast();
    assertThat(usage.usageOnly()).isTrue();
    assertThat(usage.usage()).isEqualTo(Usage.reported(9, 3));
    assertThat(usage.created()).isEqualTo(7);
  }

  @Test
  void aStreamsUsageCarriesItsAudioTokens() {
    List<String> events = GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo"), 9, 3);
    String last = events.getLast().replace(GeminiBehaviors.usage(9, 3, 0, 0), GeminiBehaviors.audioUsage(9, 6, 3, 0));
    Recorded recorded = decode(provider.decoder(0), List.of(events.getFirst(), last));

    assertThat(recorded.chunks.getLast().usage()).isEqualTo(Usage.reported(9, 3).withAudio(6, 0));
  }

  @Test
  void aStreamThatEndsBeforeTheFinishReasonIsNotComplete() {
    Recorded recorded = decode(provider.decoder(0),
        GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo", "!"), 9, 3).subList(0, 2));

    assertThat(recorded.text()).isEqualTo("Hello");
    assertThat(recorded.complete).isFalse();
  }

  /** Code Gemini runs on its side, and its result, add nothing to the neutral answer but say Gemini is at work. */
  @Test
  void codeItRunsAndTheRunsResultAreSignsOfWork() {
    var decoder = provider.decoder(0);
    List<String> events = GeminiBehaviors.streamEvents("gemini-2.5-flash", List.of("Hel", "lo"), 9, 3);
    decode(decoder, List.of(events.getFirst()));
    assertThat(decoder.signsOfWork()).as("text").isZero();

    Recorded recorded = decode(decoder, List.of(
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"executableCode\": "
            + "{\"language\": \"PYTHON\", \"code\": \"print(6 * 7)\"}}]}}]}\r\n\r\n",
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"codeExecutionResult\": "
            + "{\"outcome\": \"OUTCOME_OK\", \"output\": \"42\\n\"}}]}}]}\r\n\r\n"));

    assertThat(recorded.chunks).isEmpty();
    assertThat(decoder.signsOfWork()).isEqualTo(2);
  }

  @Test
  void streamsFunctionCallsWholeAndReasoningApart() {
    var decoder = provider.decoder(0);
    Recorded recorded = decode(decoder, List.of(
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": \"Hmm\", \"thought\": true}]}}],"
            + " \"responseId\": \"r9\", \"modelVersion\": \"gemini-3-pro-preview\"}\r\n\r\n",
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"functionCall\": {\"name\": \"f\","
            + " \"args\": {\"a\": 1}}, \"thoughtSignature\": \"S1\"}]}, \"finishReason\": \"STOP\"}],"
            + " \"usageMetadata\": " + GeminiBehaviors.usage(5, 4, 30, 0) + ", \"responseId\": \"r9\"}\r\n\r\n"));

    assertThat(recorded.chunks.getFirst().parts()).containsExactly(new ChatChunk.Start(), new ChatChunk.Reasoning("Hmm"));
    assertThat(recorded.chunks.get(1).parts()).containsExactly(new ChatChunk.ToolCall(0, "call_r9_0__thought__S1", "f"),
        new ChatChunk.ToolArgs(0, "{\"a\":1}"), new ChatChunk.Finish("tool_calls"));
    assertThat(decoder.usage()).isEqualTo(new Usage(5, 34, false, 0, 0, 30));
    assertThat(decoder.billedOutput()).isEqualTo("Hmmf{\"a\":1}");
    assertThat(recorded.complete).isTrue();
  }

  @Test
  void anErrorInTheStreamIsTheProvidersErrorWithItsStatus() {
    Recorded recorded = decode(provider.decoder(0), List.of(
        "data: {\"error\": {\"code\": 503, \"message\": \"The model is overloaded.\", \"status\": \"UNAVAILABLE\"}}\r\n\r\n"));
    assertThat(recorded.errorStatus).isEqualTo(503);
    Recorded byName = decode(provider.decoder(0), List.of(
        "data: {\"error\": {\"message\": \"Quota\", \"status\": \"RESOURCE_EXHAUSTED\"}}\r\n\r\n"));
    assertThat(byName.errorStatus).isEqualTo(429);
  }

  @Test
  void readsTheErrorStatusAndReasonButNeverTheMessage() {
    ProviderError error = provider.error(bytes("""
        {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
         "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
         "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}"""));
    assertThat(error.describe()).hasValue("INVALID_ARGUMENT/API_KEY_INVALID");
    assertThat(provider.error(bytes("not json"))).isEqualTo(ProviderError.none());
  }
}
