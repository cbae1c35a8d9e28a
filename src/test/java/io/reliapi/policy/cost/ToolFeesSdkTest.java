package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official Anthropic Java SDK's web search tool on a budgeted target (docs/guides/budget-control.md). */
class ToolFeesSdkTest {
  static AnthropicClient sdk;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      default_llm_target: claude
      targets:
        claude:
          base_url: "%s/v1"
          llm: {provider: anthropic, default_model: claude-haiku-4-5, budget: {daily_usd: 1}}
      """.formatted(up.baseUrl())));

  @BeforeAll
  static void start() {
    sdk = AnthropicOkHttpClient.builder().baseUrl(e2e.gw().http.url("")).apiKey("unused").maxRetries(0)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
  }

  static MessageCreateParams.Builder ask() {
    return MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(50).addUserMessage("What's new?");
  }

  @Test
  void aWebSearchBoundedByMaxUsesIsSentAndAnsweredOnABudgetedTarget() {
    e2e.up().otherwise("POST /v1/messages", ToolFeesEndToEndTest.searched(1));

    Message answer = sdk.messages().create(ask().addTool(WebSearchTool20250305.builder().maxUses(2).build()).build());

    assertThat(answer.content().getFirst().text().orElseThrow().text()).isEqualTo("Found it.");
    JsonNode sent = Json.parseOrNull(e2e.up().last().bodyText().getBytes(StandardCharsets.UTF_8));
    assertThat(sent.get("tools").get(0).get("type").asText()).isEqualTo("web_search_20250305");
    assertThat(sent.get("tools").get(0).get("max_uses").asInt()).isEqualTo(2);
  }

  @Test
  void aWebSearchWithoutMaxUsesIsABadRequestOnABudgetedTargetAndNothingIsSent() {
    assertThatThrownBy(() -> sdk.messages().create(ask().addTool(WebSearchTool20250305.builder().build()).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("MODEL_PRICE_UNKNOWN").contains("max_uses"));
    assertThat(e2e.up().total()).isZero();
  }
}
