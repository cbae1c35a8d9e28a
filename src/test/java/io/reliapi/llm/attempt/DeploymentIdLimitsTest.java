package io.reliapi.llm.attempt;

import static io.reliapi.llm.ChatFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's own limits on tool-call ids, and the name of the output limit at OpenAI's API, are decided per attempt,
 * by the URL of the deployment it is sent to: an Azure OpenAI target listed only through its deployments has its ids
 * fitted, and a LiteLLM deployment of a target whose own base_url is api.openai.com gets them whole. (A socket test cannot reach an Azure host name;
 * {@code DeploymentIdLimitsEndToEndTest} covers the LiteLLM case over real sockets.)
 */
class DeploymentIdLimitsTest {
  static final String LONG = "call_0__thought__" + "CiQB0e2Kb+/x9Q==".repeat(20);
  static final GatewayConfig CONFIG = ConfigLoader.parse("""
      targets:
        azure:
          llm: {provider: openai, default_model: gpt-4o}
          deployments:
            - {name: east, base_url: "https://east.openai.azure.com/openai/v1"}
            - {name: litellm, base_url: "http://127.0.0.1:1/v1"}
        openai:
          base_url: "https://api.openai.com/v1"
          llm: {provider: openai, default_model: gpt-4o}
          deployments:
            - {name: own}
            - {name: litellm, base_url: "http://127.0.0.1:1/v1"}
        openai_max_tokens:
          base_url: "https://api.openai.com/v1"
          llm: {provider: openai, default_model: gpt-5, max_tokens_field: max_tokens}
          deployments: [{name: own}]
      """, name -> null);

  final List<HttpCall> sent = new ArrayList<>();
  final ChatAttemptStage stage = new ChatAttemptStage(PriceTable.of(CONFIG), TokenCounter.shared(), Clock.system(),
      new GatewayEvents() {}, 1 << 20);

  /** Returns the tool-call id the attempt to {@code deployment} of {@code target} sends. */
  String idSent(String target, String deployment) {
    ChatRequest request = ChatFixtures.request("gpt-4o", """
        [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "%1$s", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "%1$s", "content": "sunny"}]""".formatted(LONG), 300, false, "{}", "{}");
    return sent(target, deployment, request).get("messages").get(1).get("tool_calls").get(0).get("id").asText();
  }

  /** Returns the body the attempt to {@code deployment} of {@code target} sends for {@code request}. */
  JsonNode sent(String target, String deployment, ChatRequest request) {
    TargetConfig config = CONFIG.target(target).orElseThrow();
    DeploymentConfig chosen = config.deployments().stream().filter(d -> d.name().equals(deployment)).findFirst()
        .orElseThrow();
    RequestContext context = new RequestContext("req_1", Route.PROXY_LLM, Caller.anonymous(), target, 0,
        Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), true, new Trace(target),
        new Cancellation());
    Exchange exchange = new Exchange(context, config, new HttpCall("POST", "/chat/completions", Headers.empty(),
        Body.EMPTY), 0, Optional.of(request)).withDeployment(chosen);
    stage.handle(exchange, attempt -> {
      sent.add(attempt.call());
      return Future.failedFuture("not sent: the test reads the call");
    });
    return body(sent.getLast());
  }

  /** Returns the output-limit field the attempt to {@code deployment} of {@code target} sends to {@code model}. */
  String limitNameSent(String target, String deployment, String model) {
    ChatRequest request = ChatFixtures.request(model, "[{\"role\": \"user\", \"content\": \"Hi\"}]", 300, false,
        "{}", "{}");
    JsonNode body = sent(target, deployment, request);
    assertThat(body.get("max_tokens") == null || body.get("max_completion_tokens") == null).isTrue();
    return body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
  }

  @Test
  void anAzureTargetListedOnlyThroughDeploymentsFitsIdsForItsAzureDeploymentOnly() {
    assertThat(idSent("azure", "east")).matches("[a-zA-Z0-9]{24}");
    assertThat(idSent("azure", "litellm")).isEqualTo(LONG);
  }

  @Test
  void aLiteLlmDeploymentOfATargetAtOpenAiGetsIdsWhole() {
    assertThat(idSent("openai", "litellm")).isEqualTo(LONG);
    assertThat(idSent("openai", "own")).matches("[a-zA-Z0-9]{24}");
  }

  /**
   * OpenAI's API refuses max_tokens for its reasoning models and takes max_completion_tokens for every model: a call
   * with no limit named gets that name there, decided per attempt; a LiteLLM deployment of the same target, or an
   * Azure deployment of a model that does not reason, keeps max_tokens.
   */
  @Test
  void theOutputLimitIsNamedMaxCompletionTokensAtOpenAisApiOnly() {
    assertThat(limitNameSent("openai", "own", "gpt-5")).isEqualTo("max_completion_tokens");
    assertThat(limitNameSent("openai", "own", "gpt-4o")).isEqualTo("max_completion_tokens");
    assertThat(limitNameSent("openai", "litellm", "gpt-4o")).isEqualTo("max_tokens");
    assertThat(limitNameSent("azure", "east", "gpt-4o")).isEqualTo("max_tokens");
    assertThat(limitNameSent("azure", "east", "o3-mini")).isEqualTo("max_completion_tokens");
    assertThat(limitNameSent("openai_max_tokens", "own", "gpt-5")).isEqualTo("max_tokens");
  }

  /** Each deployment's limits are resolved when the file is read, so an attempt looks them up: it allocates none. */
  @Test
  void eachDeploymentCarriesTheTargetsLlmBlockAsSentToIt() {
    TargetConfig openai = CONFIG.targets().get("openai");
    assertThat(openai.deployments().get(0).llm()).containsSame(openai.llm().orElseThrow());
    assertThat(openai.deployments().get(1).llm().orElseThrow().openAiLimits()).isFalse();
    TargetConfig azure = CONFIG.targets().get("azure");
    assertThat(azure.deployments().get(0).llm().orElseThrow().openAiLimits()).isTrue();
    assertThat(azure.deployments().get(1).llm()).containsSame(azure.llm().orElseThrow());
  }
}
