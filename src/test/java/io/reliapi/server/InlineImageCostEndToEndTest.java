package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hard cap against images: three small inline PNGs on gpt-4o-mini count one 512-px tile each (8 500 tokens),
 * where an image by URL counts the largest gpt-4o-mini can bill (48 169). At $0.15 per 1M input tokens and 100
 * output tokens at $0.60 per 1M, the inline request is estimated at about $0.0039, the one by URL at $0.0217; the
 * cap is $0.01.
 */
class InlineImageCostEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        capped:
          base_url: "%s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, hard_cost_cap_usd: 0.01}
      """.formatted(up.baseUrl())));

  static String smallPng() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB), "png", out);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  static String threeImages(String url) {
    String part = "{\"type\": \"image_url\", \"image_url\": {\"url\": \"" + url + "\"}}";
    return """
        {"target": "capped", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "Which of these is red?"}, %1$s, %1$s, %1$s]}]}""".formatted(part);
  }

  @Test
  void threeSmallInlineImagesPassAHardCapThatTheirLargestPossibleSizeWouldNot() throws IOException {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "The second.", 25_520, 3));
    var r = e2e.gw().http.post("/proxy/llm", threeImages(smallPng()));

    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);
    double estimate = r.json().get("meta").get("cost_estimate_usd").asDouble();
    // 3 × 8 500 image tokens and a few of text, × 0.15 / 1M, plus 100 × 0.6 / 1M
    assertThat(estimate).isBetween(0.003885, 0.0039);
    assertThat(e2e.up().last().body().toString()).contains(smallPng());
  }

  @Test
  void theSameImagesByUrlAreStillCountedAtTheirLargestPossibleSizeAndRefused() {
    var r = e2e.gw().http.post("/proxy/llm", threeImages("https://images.example/a.png"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    // 3 × 48 169 image tokens alone: 0.0216761
    assertThat(r.json().get("error").get("details").get("estimate").asDouble()).isGreaterThan(0.0216);
    assertThat(e2e.up().total()).isZero();
  }
}
