package io.reliapi.llm.openai;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.failure;
import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.mistral.MistralProvider;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A Chat Completions body a client sent to an OpenAI-protocol target's raw routes (issue 11.1). */
class OpenAiNativeCallTest {
  final OpenAiProvider provider = new OpenAiProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.OPENAI, "2023-06-01");
  static final String BODY = """
      {"model": "gpt-4o", "messages": [{"role": "function", "name": "f", "content": "legacy"}],
       "max_completion_tokens": 5000, "seed": 1, "response_format": {"type": "json_object"}, "stream": true}""";

  static ObjectNode object(String json) {
    return (ObjectNode) json(json);
  }

  @Test
  void readsWhatThePricingNeedsAndKeepsTheRestAsOptions() {
    ChatRequest read = provider.readNative(object(BODY));

    assertThat(read.requestedModel()).contains("gpt-4o");
    assertThat(read.requestedMaxTokens()).contains(5000);
    assertThat(read.stream()).isTrue();
    assertThat(read.messages()).hasSize(1);
    assertThat(read.messages().get(0).role()).isEqualTo("function");
    assertThat(read.options()).isEqualTo(json("{\"seed\": 1, \"response_format\": {\"type\": \"json_object\"}}"));
    assertThat(read.nativeBody()).contains(new NativeBody(WireProtocol.OPENAI_CHAT, object(BODY), true));
    assertThat(provider.chatPath()).isEqualTo("/chat/completions");
  }

  @Test
  void sendsTheClientsBodyWithTheGatewaysModelLimitAndUsageReport() {
    ChatRequest request = provider.readNative(object(BODY)).forTarget("gpt-4o", 300);
    HttpCall call = provider.nativeCall(request, llm);

    assertThat(call.pathAndQuery()).isEqualTo("/chat/completions");
    assertThat(call.headers().get("Accept")).isEqualTo("text/event-stream");
    ObjectNode expected = object(BODY);
    expected.put("max_completion_tokens", 300);
    expected.putObject("stream_options").put("include_usage", true);
    assertThat(body(call)).isEqualTo(expected);
  }

  @Test
  void fillsInTheModelAndLimitWhenTheClientLeftThemOut() {
    ChatRequest request = provider.readNative(object("{\"messages\": []}"));
    assertThat(request.requestedModel()).isEmpty();
    assertThat(body(provider.nativeCall(request.forTarget("gpt-4o-mini", 1024), llm)))
        .isEqualTo(json("{\"messages\": [], \"model\": \"gpt-4o-mini\", \"max_tokens\": 1024}"));
  }

  @Test
  void mistralGetsMaxTokensAndNoStreamOptions() {
    MistralProvider mistral = new MistralProvider();
    ChatRequest request = mistral.readNative(object(BODY.replace("gpt-4o", "mistral-small-latest")
        .replace("\"stream\": true", "\"stream\": true, \"stream_options\": {\"include_usage\": false}")))
        .forTarget("mistral-small-latest", 300);
    var sent = body(mistral.nativeCall(request, ChatFixtures.llm(LlmConfig.Provider.MISTRAL, "")));
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(sent.has("max_completion_tokens")).isFalse();
    assertThat(sent.has("stream_options")).isFalse();
    assertThat(mistral.withheld(request)).isNull();
  }

  @Test
  void refusesOnlyWhatItCannotPrice() {
    for (String bad : new String[] {"{\"model\": \"m\"}", "{\"messages\": {}}", "{\"messages\": [], \"model\": 5}",
        "{\"messages\": [], \"max_tokens\": \"many\"}", "{\"messages\": [], \"max_tokens\": 0}",
        "{\"messages\": [], \"max_completion_tokens\": 1.5}", "{\"messages\": [], \"stream\": \"yes\"}"}) {
      assertThat(failure(() -> provider.readNative(object(bad))).code()).as(bad).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
  }

  @Test
  void withholdsTheUsageChunkOnlyFromAStreamingClientThatDidNotAskForIt() {
    Predicate<SseEvent> withheld = provider.withheld(provider.readNative(object(BODY)));
    assertThat(withheld.test(new SseEvent(null, "{\"id\": \"c\", \"choices\": [], \"usage\": {\"prompt_tokens\": 1}}")))
        .isTrue();
    assertThat(withheld.test(new SseEvent(null, "{\"id\": \"c\", \"choices\": [{\"delta\": {}}], \"usage\": null}")))
        .isFalse();
    assertThat(withheld.test(new SseEvent(null, "{\"choices\" : [ ], \"usage\": {\"prompt_tokens\": 1}}"))).isTrue();
    assertThat(withheld.test(new SseEvent(null, "{\"choices\": [], \"usage\": null}"))).isFalse();
    assertThat(withheld.test(new SseEvent(null, "[DONE]"))).isFalse();
    assertThat(provider.withheld(provider.readNative(object(BODY.replace("\"stream\": true",
        "\"stream\": true, \"stream_options\": {\"include_usage\": true}"))))).isNull();
    assertThat(provider.withheld(provider.readNative(object(BODY.replace("true", "false"))))).isNull();
  }

  @Test
  void aNativeRequestKeepsItsBodyThroughEveryStep() {
    ChatRequest request = provider.readNative(object(BODY));
    assertThat(request.forTarget("m", 1).withMaxTokens(2).nativeBody().map(NativeBody::body)).isEqualTo(Optional.of(object(BODY)));
    assertThat(request.isNative()).isTrue();
  }
}
