package io.reliapi.llm.gemini;

import static io.reliapi.llm.ChatFixtures.body;
import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a neutral request becomes a Gemini {@code generateContent} call. */
class GeminiRequestTest {
  final GeminiProvider provider = new GeminiProvider();
  final LlmConfig llm = ChatFixtures.llm(LlmConfig.Provider.GEMINI, "");

  @Test
  void postsToTheModelsGenerateContentOrItsSseStream() {
    String hi = "[{\"role\": \"user\", \"content\": \"Hi\"}]";
    HttpCall whole = provider.call(request("gemini-2.5-flash", hi, 300, false, "{}", "{}"), llm);
    HttpCall stream = provider.call(request("models/gemini-2.5-flash", hi, 300, true, "{}", "{}"), llm);
    HttpCall odd = provider.call(request("tuned/../x?y", hi, 300, false, "{}", "{}"), llm);

    assertThat(whole.pathAndQuery()).isEqualTo("/models/gemini-2.5-flash:generateContent");
    assertThat(whole.headers().get("Accept")).isEqualTo("application/json");
    assertThat(stream.pathAndQuery()).isEqualTo("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(stream.headers().get("Accept")).isEqualTo("text/event-stream");
    assertThat(odd.pathAndQuery()).isEqualTo("/models/tuned%2F..%2Fx%3Fy:generateContent");
    assertThat(body(whole)).isEqualTo(json("""
        {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}], "generationConfig": {"maxOutputTokens": 300}}"""));
  }

  @Test
  void putsTheKeyInXGoogApiKeyUnlessTheTargetNamesItsOwnHeader() {
    var config = ConfigLoader.parse("""
        targets:
          gemini:
            base_url: https://generativelanguage.googleapis.com/v1beta
            auth: {type: bearer_env, env_var: K}
            llm: {provider: gemini, default_model: gemini-2.5-flash}
          proxied:
            base_url: https://proxy.example/v1beta
            auth: {type: header_env, env_var: K, header: X-Proxy-Key}
            llm: {provider: gemini, default_model: gemini-2.5-flash}
        """, name -> "secret");
    TargetConfig gemini = config.target("gemini").orElseThrow();
    TargetConfig proxied = config.target("proxied").orElseThrow();

    assertThat(provider.credentials(gemini).toLowerCaseMap()).containsExactly(
        java.util.Map.entry("x-goog-api-key", "secret"));
    assertThat(provider.credentials(proxied).get("X-Proxy-Key")).isEqualTo("secret");
  }

  @Test
  void liftsSystemMessagesAndTranslatesSamplingStopAndOptions() {
    var request = new io.reliapi.llm.ChatRequest(java.util.Optional.of("m"), "m",
        io.reliapi.llm.ChatMessages.parse(json("""
            [{"role": "system", "content": "Be brief."}, {"role": "developer", "content": "Use French."},
             {"role": "user", "content": "Hi"}]""")), java.util.Optional.empty(), 50, java.util.Optional.of(0.2),
        java.util.Optional.of(0.9), java.util.List.of("END"), false, (com.fasterxml.jackson.databind.node.ObjectNode) json("""
            {"seed": 7, "presence_penalty": 0.5, "n": 2, "user": "u-1", "store": true,
             "response_format": {"type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "object"}}}}"""),
        (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"safetySettings\": [], \"generationConfig\": {\"topK\": 3}}"),
        java.util.Optional.empty());
    JsonNode body = body(provider.call(request, llm));

    assertThat(body.get("systemInstruction")).isEqualTo(json("{\"parts\": [{\"text\": \"Be brief.\"}, {\"text\": \"Use French.\"}]}"));
    assertThat(body.get("contents")).isEqualTo(json("[{\"role\": \"user\", \"parts\": [{\"text\": \"Hi\"}]}]"));
    assertThat(body.get("generationConfig")).isEqualTo(json("""
        {"maxOutputTokens": 50, "temperature": 0.2, "topP": 0.9, "stopSequences": ["END"], "seed": 7,
         "presencePenalty": 0.5, "candidateCount": 2, "responseMimeType": "application/json",
         "responseJsonSchema": {"type": "object"}, "topK": 3}"""));
    assertThat(body.get("safetySettings")).isEqualTo(json("[]"));
    assertThat(body.has("user")).isFalse();
    assertThat(body.has("store")).isFalse();
  }

  @Test
  void translatesToolsToolChoiceCallsAndResultsKeepingTheThoughtSignature() {
    JsonNode body = body(provider.call(request("gemini-3-pro-preview", """
        [{"role": "user", "content": [{"type": "text", "text": "Weather in Paris, and this?"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
           {"type": "image_url", "image_url": {"url": "https://x/cat.webp?s=1"}}]},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "call_r_0__thought__CiQBsig==", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}},
           {"id": "call_r_1", "type": "function", "function": {"name": "get_time", "arguments": ""}}]},
         {"role": "tool", "tool_call_id": "call_r_0__thought__CiQBsig==", "content": "18C"},
         {"role": "tool", "tool_call_id": "call_r_1", "content": "noon"}]""", 100, false, """
        {"tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                          "additionalProperties": false}}}],
         "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}""", "{}"), llm));

    assertThat(body.get("contents")).isEqualTo(json("""
        [{"role": "user", "parts": [{"text": "Weather in Paris, and this?"},
            {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
            {"fileData": {"mimeType": "image/webp", "fileUri": "https://x/cat.webp?s=1"}}]},
         {"role": "model", "parts": [
            {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "CiQBsig=="},
            {"functionCall": {"name": "get_time", "args": {}}}]},
         {"role": "user", "parts": [
            {"functionResponse": {"name": "get_weather", "response": {"content": "18C"}}},
            {"functionResponse": {"name": "get_time", "response": {"content": "noon"}}}]}]"""));
    assertThat(body.get("tools")).isEqualTo(json("""
        [{"functionDeclarations": [{"name": "get_weather", "description": "Weather by city",
           "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                                    "additionalProperties": false}}]}]"""));
    assertThat(body.get("toolConfig")).isEqualTo(json("""
        {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}}"""));
  }

  @Test
  void mapsToolChoiceWords() {
    for (var pair : new String[][] {{"\"none\"", "NONE"}, {"\"auto\"", "AUTO"}, {"\"required\"", "ANY"}}) {
      JsonNode body = body(provider.call(request("m", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10, false,
          "{\"tool_choice\": " + pair[0] + "}", "{}"), llm));
      assertThat(body.path("toolConfig").path("functionCallingConfig").path("mode").asText()).isEqualTo(pair[1]);
    }
  }

  @Test
  void asksCountTokensForTheWholeRequestAndReadsTheCount() {
    HttpCall call = provider.countCall(request("gemini-2.5-flash", """
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]""", 10, false, "{}", "{}"),
        llm).orElseThrow();

    assertThat(call.pathAndQuery()).isEqualTo("/models/gemini-2.5-flash:countTokens");
    assertThat(body(call)).isEqualTo(json("""
        {"generateContentRequest": {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
          "systemInstruction": {"parts": [{"text": "Be brief."}]}, "model": "models/gemini-2.5-flash"}}"""));
    assertThat(provider.count("""
        {"totalTokens": 31, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 31}]}"""
        .getBytes(StandardCharsets.UTF_8))).hasValue(31);
    assertThat(provider.count("{}".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
