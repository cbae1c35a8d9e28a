package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/messages} whole answers: native to Anthropic targets, translated for the others, errors. */
class AnthropicRouteTest {
  static final String MESSAGES = "POST /v1/messages";
  static final String CHAT = "POST /v1/chat/completions";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: claude
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: narrow, key_env: NARROW_KEY, targets: [openai]}
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 2048, anthropic_version: "2023-06-01"}
          auth: {type: bearer_env, env_var: ANTHROPIC_KEY}
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 1000}
        openai-own:
          base_url: https://api.openai.com/v1
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini}
        mistral:
          base_url: "%1$s/mistral/v1"
          %2$s
          llm: {provider: mistral, default_model: mistral-small-latest}
        capped:
          base_url: "%1$s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, max_tokens: 512, hard_cost_cap_usd: 0.001}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("NARROW_KEY", "k-narrow")
      .env("ANTHROPIC_KEY", "sk-ant-test"));

  static TestHttp.Res messages(String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("x-api-key", "k-app", "anthropic-version", "2026-10-21"));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/messages", body, all.toArray(String[]::new));
  }

  static JsonNode sent() {
    return Json.parseOrNull(e2e.up().last().body().getBytes());
  }

  @Test
  void sendsTheBodyAsWrittenToAnAnthropicTargetAndAnswersAnAnthropicMessage() {
    e2e.up().script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5-20251001", "Bonjour", 12, 6));
    var r = messages("""
        {"model": "claude-haiku-4-5", "max_tokens": 100,
         "system": [{"type": "text", "text": "Be terse.", "cache_control": {"type": "ephemeral"}}],
         "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]}],
         "top_k": 5, "metadata": {"user_id": "u-1"}, "thinking": {"type": "enabled", "budget_tokens": 1024},
         "some_future_field": {"x": 1}}""", "anthropic-beta", "prompt-caching-2024-07-31");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("role").asText()).isEqualTo("assistant");
    assertThat(body.get("id").asText()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(body.get("model").asText()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(body.get("content")).hasSize(1);
    assertThat(body.get("content").get(0).get("text").asText()).isEqualTo("Bonjour");
    assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.get("stop_sequence").isNull()).isTrue();
    assertThat(body.get("usage").get("input_tokens").asInt()).isEqualTo(12);
    assertThat(body.get("usage").get("output_tokens").asInt()).isEqualTo(6);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.000042");
    assertThat(r.header("request-id")).isEqualTo(r.header("X-Request-ID")).startsWith("req_");
    assertThat(r.header("anthropic-ratelimit-requests-remaining")).isEqualTo("3999");
    assertThat(r.header("anthropic-organization-id")).isNull();

    JsonNode sent = sent();
    assertThat(e2e.up().last().path()).isEqualTo("/v1/messages");
    assertThat(sent.get("some_future_field").get("x").asInt()).isEqualTo(1);
    assertThat(sent.get("system").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
    assertThat(sent.get("messages").get(0).get("content").get(0).has("cache_control")).isTrue();
    assertThat(sent.get("top_k").asInt()).isEqualTo(5);
    assertThat(sent.get("thinking").get("budget_tokens").asInt()).isEqualTo(1024);
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(e2e.up().last().header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
    assertThat(e2e.up().last().header("anthropic-version")).as("the target's version").isEqualTo("2023-06-01");
    assertThat(e2e.up().last().header("x-api-key")).isEqualTo("sk-ant-test");
  }

  @Test
  void givesTheAnthropicClientThinkingBlocksWithTheirSignatures() {
    e2e.up().script(MESSAGES, Behavior.respond(200, LlmBehaviors.anthropicHeaders(), """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"thinking","thinking":"Let me think.","signature":"EqQBsig"},
                    {"type":"redacted_thinking","data":"opaque=="},
                    {"type":"text","text":"Paris."},
                    {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris"}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":20}}"""));
    var r = messages("""
        {"model": "claude/claude-sonnet-4-5", "max_tokens": 3000, "thinking": {"type": "enabled", "budget_tokens": 2048},
         "messages": [{"role": "user", "content": "Weather?"}]}""");

    JsonNode content = r.json().get("content");
    assertThat(content).hasSize(4);
    assertThat(content.get(0).get("type").asText()).isEqualTo("thinking");
    assertThat(content.get(0).get("thinking").asText()).isEqualTo("Let me think.");
    assertThat(content.get(0).get("signature").asText()).isEqualTo("EqQBsig");
    assertThat(content.get(1).get("type").asText()).isEqualTo("redacted_thinking");
    assertThat(content.get(1).get("data").asText()).isEqualTo("opaque==");
    assertThat(content.get(2).get("text").asText()).isEqualTo("Paris.");
    assertThat(content.get(3).get("type").asText()).isEqualTo("tool_use");
    assertThat(content.get(3).get("input").get("city").asText()).isEqualTo("Paris");
    assertThat(r.json().get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(sent().get("model").asText()).as("target prefix removed").isEqualTo("claude-sonnet-4-5");
    assertThat(sent().get("max_tokens").asInt()).as("capped by llm.max_tokens").isEqualTo(2048);
  }

  @Test
  void translatesForAnOpenAiTargetAndAnswersItsToolCallAsToolUse() {
    e2e.up().script(CHAT, Behavior.respond(200, LlmBehaviors.openAiHeaders(), """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_9",
           "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lyon\\"}"}}]},
           "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":50,"completion_tokens":10,"total_tokens":60}}"""));
    var r = messages("""
        {"model": "openai/gpt-4o-mini", "max_tokens": 300, "system": "Be terse.",
         "messages": [
           {"role": "user", "content": [{"type": "text", "text": "Look:"},
             {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
             {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
           {"role": "assistant", "content": [{"type": "thinking", "thinking": "hm", "signature": "s"},
             {"type": "text", "text": "Checking."},
             {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
           {"role": "user", "content": [
             {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
             {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true,
              "content": [{"type": "text", "text": "timeout"}]},
             {"type": "text", "text": "And Lyon?"}]}],
         "tools": [{"name": "get_weather", "description": "Weather by city", "cache_control": {"type": "ephemeral"},
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
         "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
         "stop_sequences": ["END"], "temperature": 0.5, "top_p": 0.9, "top_k": 40,
         "metadata": {"user_id": "u-7"}, "thinking": {"type": "enabled", "budget_tokens": 1024}}""");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = sent();
    assertThat(e2e.up().last().path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(300);
    JsonNode m = sent.get("messages");
    assertThat(m.get(0).get("role").asText()).isEqualTo("system");
    assertThat(m.get(0).get("content").asText()).isEqualTo("Be terse.");
    assertThat(m.get(1).get("content").get(1).get("image_url").get("url").asText())
        .isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    assertThat(m.get(1).get("content").get(2).get("image_url").get("url").asText())
        .isEqualTo("https://example.com/cat.jpg");
    assertThat(m.get(2).get("role").asText()).isEqualTo("assistant");
    assertThat(m.get(2).get("content").asText()).isEqualTo("Checking.");
    assertThat(m.get(2).get("tool_calls").get(0).get("id").asText()).isEqualTo("toolu_1");
    assertThat(m.get(2).get("tool_calls").get(0).get("function").get("arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(m.get(3).get("role").asText()).isEqualTo("tool");
    assertThat(m.get(3).get("tool_call_id").asText()).isEqualTo("toolu_1");
    assertThat(m.get(3).get("content").asText()).isEqualTo("18C");
    assertThat(m.get(4).get("content").asText()).isEqualTo("Error: timeout");
    assertThat(m.get(5).get("role").asText()).isEqualTo("user");
    assertThat(m.get(5).get("content").get(0).get("text").asText()).isEqualTo("And Lyon?");
    assertThat(m).hasSize(6);
    JsonNode tool = sent.get("tools").get(0);
    assertThat(tool.get("type").asText()).isEqualTo("function");
    assertThat(tool.get("function").get("name").asText()).isEqualTo("get_weather");
    assertThat(tool.get("function").get("parameters").get("properties").has("city")).isTrue();
    assertThat(tool.toString()).doesNotContain("cache_control");
    assertThat(sent.get("tool_choice").asText()).isEqualTo("required");
    assertThat(sent.get("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(sent.get("stop").get(0).asText()).isEqualTo("END");
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(sent.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(sent.get("user").asText()).isEqualTo("u-7");
    assertThat(sent.has("top_k")).isFalse();
    assertThat(sent.has("thinking")).isFalse();
    assertThat(sent.has("system")).isFalse();

    JsonNode body = r.json();
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("content")).hasSize(1);
    JsonNode use = body.get("content").get(0);
    assertThat(use.get("type").asText()).isEqualTo("tool_use");
    assertThat(use.get("id").asText()).isEqualTo("call_9");
    assertThat(use.get("name").asText()).isEqualTo("get_weather");
    assertThat(use.get("input").get("city").asText()).isEqualTo("Lyon");
    assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(body.get("usage").get("input_tokens").asInt()).isEqualTo(50);
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("openai");
    // 50 × 0.15 / 1M + 10 × 0.60 / 1M: the tool call's arguments are billed output
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.0000135");
  }

  @Test
  void translatesForAMistralTarget() {
    e2e.up().script("POST /mistral/v1/chat/completions", Behavior.respond(200, LlmBehaviors.mistralHeaders(),
        LlmBehaviors.mistralCompletion("mistral-small-latest", "\"Salut\"", "stop", 7, 2)));
    var r = messages("""
        {"model": "mistral-small-latest", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}],
         "metadata": {"user_id": "u-7"}}""", "X-ReliAPI-Target", "mistral");

    assertThat(r.json().get("content").get(0).get("text").asText()).isEqualTo("Salut");
    assertThat(sent().get("messages").get(0).get("content").asText()).isEqualTo("Hi");
    assertThat(sent().has("user")).as("Mistral refuses user").isFalse();
  }

  @Test
  void refusesWhatHasNoTranslationForATargetOfAnotherProtocol() {
    var r = messages("""
        {"model": "openai/gpt-4o-mini", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}],
         "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]}""");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("type").asText()).isEqualTo("error");
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(r.json().get("error").get("message").asText()).startsWith("INVALID_REQUEST: ")
        .contains("web_search_20250305").contains("'openai'");
    assertThat(e2e.up().total()).isZero();

    e2e.up().script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Searched", 5, 1));
    var native1 = messages("""
        {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}],
         "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]}""");
    assertThat(native1.status()).isEqualTo(200);
    assertThat(sent().get("tools").get(0).get("type").asText()).isEqualTo("web_search_20250305");
  }

  @Test
  void refusesMoreThanFourStopSequencesOnlyForOpenAisOwnApiNamingTheLimit() {
    String five = """
        {"model": "%s", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}],
         "stop_sequences": ["a", "b", "c", "d", "e"]}""";
    var refused = messages(five.formatted("openai-own/gpt-4o-mini"));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("details").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(refused.json().get("error").get("message").asText())
        .contains("'stop_sequences' (5 of them)").contains("'openai-own', which takes at most 4");
    assertThat(e2e.up().total()).as("nothing sent").isZero();

    e2e.up().script(CHAT, LlmBehaviors.openAi("llama3.2", "Hi", 5, 1));
    var otherServer = messages(five.formatted("openai/llama3.2"));
    assertThat(otherServer.status()).as("vLLM, Ollama and others behind provider openai take more").isEqualTo(200);
    assertThat(sent().get("stop")).hasSize(5);

    e2e.up().script(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "Hi", 5, 1));
    var anthropic = messages(five.formatted("claude-haiku-4-5"));
    assertThat(anthropic.status()).isEqualTo(200);
    assertThat(sent().get("stop_sequences")).hasSize(5);
  }

  @Test
  void namesAStopSequenceAnOpenAiProtocolServerReportsOnlyWhenTheRequestAskedForIt() {
    String ask = """
        {"model": "openai/llama3.2", "max_tokens": 50, "messages": [{"role": "user", "content": "Count"}],
         "stop_sequences": ["END"]%s}""";
    e2e.up().script(CHAT, Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        LlmBehaviors.openAiCompletion("llama3.2", "1 2 3", "stop", 9, 5)
            .replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"stop\",\"stop_reason\":\"END\"")));
    var asked = messages(ask.formatted(""));
    assertThat(asked.json().get("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(asked.json().get("stop_sequence").asText()).isEqualTo("END");

    e2e.up().script(CHAT, Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        LlmBehaviors.openAiCompletion("llama3.2", "1 2 3", "stop", 9, 5)
            .replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"stop\",\"stop_reason\":\"<|eot_id|>\"")));
    var other = messages(ask.formatted(""));
    assertThat(other.json().get("stop_reason").asText()).as("a stop token the request never named")
        .isEqualTo("end_turn");
    assertThat(other.json().get("stop_sequence").isNull()).isTrue();

    e2e.up().script(CHAT, LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("llama3.2", List.of("1 2 3"), 9, 5)
        .stream().map(e -> e.replace("\"finish_reason\":\"stop\"",
            "\"finish_reason\":\"stop\",\"stop_reason\":\"<|eot_id|>\"")).toList(), 1));
    var streamed = messages(ask.formatted(", \"stream\": true"));
    String delta = streamed.body().substring(streamed.body().indexOf("\"type\":\"message_delta\""));
    assertThat(delta).contains("\"stop_reason\":\"end_turn\"").contains("\"stop_sequence\":null");
  }

  @Test
  void answersErrorsInAnthropicsShapeWithTheGatewaysCode() {
    var unauthorized = e2e.gw().http.post("/v1/messages", "{}", "x-api-key", "wrong");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.json().get("error").get("type").asText()).isEqualTo("authentication_error");
    assertThat(unauthorized.json().get("error").get("details").get("error_code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(unauthorized.json().get("request_id").asText()).isEqualTo(unauthorized.header("request-id"));

    var forbidden = e2e.gw().http.post("/v1/messages", "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 5, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", "X-API-Key", "k-narrow");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("error").get("type").asText()).isEqualTo("permission_error");

    var invalid = messages("{\"model\": \"claude-haiku-4-5\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("error").get("message").asText()).contains("messages[0].role");
    assertThat(invalid.header("x-should-retry")).isEqualTo("false");

    var notFound = messages("{\"model\": \"x\", \"messages\": []}", "X-ReliAPI-Target", "nope");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.json().get("error").get("type").asText()).isEqualTo("not_found_error");

    // 3 prompt tokens at least + 512 × 5 / 1M = 0.00256 > the hard cap of 0.001
    var capped = messages("{\"model\": \"claude-haiku-4-5\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
        "X-ReliAPI-Target", "capped");
    assertThat(capped.status()).isEqualTo(400);
    assertThat(capped.json().get("error").get("message").asText()).startsWith("BUDGET_EXCEEDED: ");
    assertThat(capped.json().get("error").get("details").get("details").get("cap").asDouble()).isEqualTo(0.001);
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void namesTheProvidersErrorStatusInAnthropicsErrorType() {
    e2e.up().script(MESSAGES, LlmBehaviors.anthropicError(429, "rate_limit_error", "Slow down", Map.of("retry-after", "7")));
    var limited = messages("{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 5, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(limited.json().get("error").get("message").asText()).startsWith("UPSTREAM_ERROR: ")
        .doesNotContain("Slow down");
    assertThat(limited.header("Retry-After")).isEqualTo("7");
    assertThat(limited.header("x-should-retry")).isEqualTo("true");

    e2e.up().script(MESSAGES, LlmBehaviors.anthropicError(529, "overloaded_error", "Overloaded", Map.of()));
    var overloaded = messages("{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 5, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(overloaded.status()).isEqualTo(529);
    assertThat(overloaded.json().get("error").get("type").asText()).isEqualTo("overloaded_error");
    assertThat(overloaded.json().get("error").get("details").get("upstream_status").asInt()).isEqualTo(529);

    e2e.up().script(CHAT, Behavior.respond(500, LlmBehaviors.openAiHeaders(), "{\"error\": {\"type\": \"server_error\"}}"));
    var failed = messages("{\"model\": \"openai/gpt-4o-mini\", \"max_tokens\": 5, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.json().get("error").get("type").asText()).isEqualTo("api_error");
  }

  @Test
  void acceptsTheKeyInAnyCaseAndAsABearerToken() {
    e2e.up().otherwise(MESSAGES, LlmBehaviors.anthropic("claude-haiku-4-5", "ok", 5, 1));
    String body = "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    assertThat(e2e.gw().http.post("/v1/messages", body, "x-api-key", "k-app").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/v1/messages", body, "X-API-KEY", "k-app").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/v1/messages", body, "Authorization", "Bearer k-app").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/v1/messages", body).status()).isEqualTo(401);
  }
}
