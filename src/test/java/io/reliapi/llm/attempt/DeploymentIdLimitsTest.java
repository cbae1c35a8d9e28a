package io.reliapi.llm.attempt;

import static io.reliapi.llm.ChatFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

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
 * OpenAI's own limits on tool-call ids are decided per attempt, by the URL of the deployment it is sent to: an
 * Azure OpenAI target listed only through its deployments has its ids fitted, and a LiteLLM deployment of a
 * target whose own base_url is api.openai.com gets them whole. (A socket test cannot reach an Azure host name;
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
      """, name -> null);

  final List<HttpCall> sent = new ArrayList<>();
  final ChatAttemptStage stage = new ChatAttemptStage(PriceTable.of(CONFIG), TokenCounter.shared(), Clock.system(),
      new GatewayEvents() {}, 1 << 20);

  /** Returns the tool-call id the attempt to {@code deployment} of {@code target} sends. */
  String idSent(String target, String deployment) {
    TargetConfig config = CONFIG.target(target).orElseThrow();
    DeploymentConfig chosen = config.deployments().stream().filter(d -> d.name().equals(deployment)).findFirst()
        .orElseThrow();
    ChatRequest request = ChatFixtures.request("gpt-4o", """
        [{"role": "user", "content": "Weather?"},
         {"role": "assistant", "content": null, "tool_calls": [
           {"id": "%1$s", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "%1$s", "content": "sunny"}]""".formatted(LONG), 300, false, "{}", "{}");
    RequestContext context = new RequestContext("req_1", Route.PROXY_LLM, Caller.anonymous(), target, 0,
        Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), true, new Trace(target),
        new Cancellation());
    Exchange exchange = new Exchange(context, config, new HttpCall("POST", "/chat/completions", Headers.empty(),
        Body.EMPTY), 0, Optional.of(request)).withDeployment(chosen);
    stage.handle(exchange, attempt -> {
      sent.add(attempt.call());
      return Future.failedFuture("not sent: the test reads the call");
    });
    return body(sent.getLast()).get("messages").get(1).get("tool_calls").get(0).get("id").asText();
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
