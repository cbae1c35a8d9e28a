package io.reliapi.llm.openai;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.decode;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.mistral.MistralProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway owns the usage report, and counts every billed output token where there is none (issue 11.2). */
class OpenAiUsageTest {
  final OpenAiProvider provider = new OpenAiProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.OPENAI, "2023-06-01");
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}]";

  @Test
  void aClientCannotSwitchTheUsageReportOffThroughExtraOrOptions() {
    ChatRequest viaExtra = request("gpt-4o", HI, 300, true, "{}", "{\"stream_options\": {\"include_usage\": false}}");
    assertThat(body(provider.call(viaExtra, llm)).get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(viaExtra.extra().get("stream_options").get("include_usage").asBoolean()).isFalse();
    ChatRequest viaOptions = request("gpt-4o", HI, 300, true, "{\"stream_options\": {\"include_usage\": false}}", "{}");
    assertThat(body(provider.call(viaOptions, llm)).get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(viaOptions.wantsStreamUsage()).isFalse();
  }

  @Test
  void neverSendsStreamOptionsWithoutAStreamNorToMistral() {
    JsonNode whole = body(provider.call(request("gpt-4o", HI, 300, false, "{}",
        "{\"stream_options\": {\"include_usage\": true}}"), llm));
    assertThat(whole.has("stream_options")).isFalse();
    JsonNode mistral = body(new MistralProvider().call(request("mistral-small-latest", HI, 300, true, "{}",
        "{\"stream_options\": {\"include_usage\": true}}"), ChatFixtures.llm(LlmConfig.Provider.MISTRAL, "")));
    assertThat(mistral.has("stream_options")).isFalse();
  }

  @Test
  void countsToolCallsReasoningAndRefusalsOfAStreamAsBilledOutput() {
    String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":";
    StreamDecoder decoder = provider.decoder(0);
    var out = decode(decoder, List.of(
        head + "{\"role\":\"assistant\",\"reasoning_content\":\"Think. \"},\"finish_reason\":null}]}\n\n",
        head + "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\"}}]},\"finish_reason\":null}]}\n\n",
        head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"x\\\"}\"}}]},"
            + "\"finish_reason\":null}]}\n\n",
        head + "{\"refusal\":\"No.\",\"content\":\"Ok\"},\"finish_reason\":\"tool_calls\"}]}\n\n",
        "data: [DONE]\n\n"));

    assertThat(out.text()).isEqualTo("Ok");
    assertThat(decoder.billedOutput()).isEqualTo("Think. lookup{\"q\":\"x\"}OkNo.");
  }

  @Test
  void countsToolCallsReasoningAndRefusalsOfAWholeAnswerAsBilledOutput() {
    var completion = provider.complete("""
        {"choices": [{"message": {"role": "assistant", "content": null, "refusal": "No.",
          "reasoning_content": "Think.", "tool_calls": [{"id": "call_1", "type": "function",
          "function": {"name": "lookup", "arguments": "{\\"q\\": 1}"}}]}, "finish_reason": "tool_calls"},
         {"message": {"role": "assistant", "content": "Second choice"}, "finish_reason": "stop"}]}"""
        .getBytes(StandardCharsets.UTF_8), 0);
    assertThat(completion.billedOutput()).isEqualTo("No.Think.lookup{\"q\": 1}Second choice");
  }
}
