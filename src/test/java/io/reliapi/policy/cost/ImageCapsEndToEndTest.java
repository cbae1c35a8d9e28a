package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image counts what its target's model bills for its size, at most the largest it can be billed for one, so a
 * hard cap holds for requests with images (docs/guides/budget-control.md, "Images"). The old flat 765 tokens let
 * each refused call below through. The images are of sizes billed the most: 768×2048 is 8 tiles on gpt-4o-mini, and
 * 784×1568 is Claude's largest standard size.
 *
 * <p>gpt-4o-mini (0.15 / 0.60 USD per 1M tokens) bills up to 48 169 tokens for an image at high detail, about
 * 0.0072 USD, and 2 833 at low detail, about 0.00043 USD; 765 tokens were about 0.00012 USD. claude-sonnet-4-5
 * (3 / 15 USD per 1M tokens) bills up to about 1 640 tokens for an image, about 0.0049 USD; 765 were 0.0023 USD.
 */
class ImageCapsEndToEndTest {
  static final String KEY = "images-secret";
  static final String EIGHT_TILES = png(768, 2048);
  static final String CLAUDE_LARGEST = png(784, 1568);

  static String png(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(List.of("openai", "anthropic"),
      up -> GatewayHarness.yaml("""
        clients:
          - {name: app, key_env: APP_KEY}
        targets:
          mini:
            base_url: "%1$s/v1"
            llm:
              provider: openai
              default_model: gpt-4o-mini
              responses_api: false
              hard_cost_cap_usd: 0.001
              prices: {gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6}}
          sonnet-tight:
            base_url: "%2$s/v1"
            llm:
              provider: anthropic
              default_model: claude-sonnet-4-5
              hard_cost_cap_usd: 0.004
              prices: {claude-sonnet-4-5: {input_per_1m: 3, output_per_1m: 15}}
          sonnet-roomy:
            base_url: "%2$s/v1"
            llm:
              provider: anthropic
              default_model: claude-sonnet-4-5
              hard_cost_cap_usd: 0.006
              prices: {claude-sonnet-4-5: {input_per_1m: 3, output_per_1m: 15}}
        """.formatted(up.get("openai").baseUrl(), up.get("anthropic").baseUrl()))
        .env("APP_KEY", KEY));

  static Res chat(String detail) {
    String body = """
        {"model": "mini/gpt-4o-mini", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "text", "text": "What is this?"},
          {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"%s}}]}]}"""
        .formatted(EIGHT_TILES, detail == null ? "" : ", \"detail\": \"" + detail + "\"");
    return e2e.gw().http.post("/v1/chat/completions", body, "X-API-Key", KEY);
  }

  static Res messages(String target) {
    String body = """
        {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "%s"}},
          {"type": "text", "text": "What is this?"}]}]}""".formatted(CLAUDE_LARGEST);
    return e2e.gw().http.post("/v1/messages", body, "anthropic-version", "2023-06-01", "X-ReliAPI-Target", target,
        "X-API-Key", KEY);
  }

  @Test
  void aGpt4oMiniImageAtHighDetailIsAboveAHardCapTheOldEstimateLetThrough() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "A cat.", 100, 3));

    Res refused = chat("high");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(new BigDecimal(refused.json().get("error").get("details").get("estimate").asText()))
        .isGreaterThan(new BigDecimal("0.007"));
    assertThat(chat(null).status()).as("no detail is auto, which may be high").isEqualTo(400);
    assertThat(e2e.up("openai").total()).isZero();
  }

  @Test
  void aGpt4oMiniImageAtLowDetailCountsItsFixedCostAndPassesUnderTheCap() {
    e2e.up("openai").otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "A cat.", 2850, 3));

    Res passed = chat("low");

    assertThat(passed.status()).isEqualTo(200);
    assertThat(e2e.up("openai").total()).isEqualTo(1);
    assertThat(Double.parseDouble(passed.header("X-ReliAPI-Cost-USD"))).isLessThan(0.001);
  }

  @Test
  void aClaudeImageOnMessagesIsAboveAHardCapTheOldEstimateLetThroughAndPassesUnderALargerOne() {
    e2e.up("anthropic").otherwise("POST /v1/messages", LlmBehaviors.anthropic("claude-sonnet-4-5", "A cat.", 1500, 3));

    Res refused = messages("sonnet-tight");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("details").get("error_code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up("anthropic").total()).isZero();

    Res passed = messages("sonnet-roomy");

    assertThat(passed.status()).isEqualTo(200);
    assertThat(e2e.up("anthropic").total()).isEqualTo(1);
  }
}
