package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.TestImages.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.Provider;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What an inline image of a known size costs, against the providers' documented examples. */
class ImageSizeRulesTest {

  static int openAi(String model, int width, int height, boolean lowDetail) {
    String url = dataUrl("image/webp", TestImages.webpExtended(width, height));
    return ImageTokens.forUrl(Provider.OPENAI, model, url, lowDetail);
  }

  @Test
  void tilePricedOpenAiModelsMatchTheDocumentedExamples() {
    assertThat(openAi("gpt-4o", 1024, 1024, false)).isEqualTo(765);
    assertThat(openAi("gpt-4o", 2048, 4096, false)).isEqualTo(1105);
    assertThat(openAi("gpt-4o", 4096, 8192, true)).isEqualTo(85);
    assertThat(openAi("gpt-4o", 512, 512, false)).isEqualTo(85 + 170);
    assertThat(openAi("gpt-4o", 513, 100, false)).isEqualTo(85 + 2 * 170);
    assertThat(openAi("gpt-4o-mini", 64, 64, false)).isEqualTo(2833 + 5667);
    assertThat(openAi("gpt-5", 1024, 1024, false)).isEqualTo(70 + 4 * 140);
  }

  @Test
  void tileCountsScaleDownButNeverUp() {
    assertThat(ImageSizeRules.openAiTiles(100, 100)).isEqualTo(1);
    assertThat(ImageSizeRules.openAiTiles(768, 768)).isEqualTo(4);
    assertThat(ImageSizeRules.openAiTiles(4096, 4096)).isEqualTo(4);
    // 65 535×1 000 fits 2048×31.25: four tiles on the long side
    assertThat(ImageSizeRules.openAiTiles(1000, 65_535)).isEqualTo(4);
  }

  @Test
  void patchPricedOpenAiModelsCountPatchesTimesTheirMultiplierUpToTheLargest() {
    assertThat(ImageSizeRules.openAiPatches(1024, 1024)).isEqualTo(1024);
    assertThat(ImageSizeRules.openAiPatches(33, 1)).isEqualTo(2);
    assertThat(ImageSizeRules.openAiPatches(1800, 2400)).isEqualTo(1536);
    assertThat(openAi("gpt-4.1-mini", 1024, 1024, false)).isEqualTo(1659);
    assertThat(openAi("gpt-4.1-mini", 1024, 1024, true)).isEqualTo(1659);
    assertThat(openAi("o4-mini", 32, 32, false)).isEqualTo(2);
    assertThat(openAi("gpt-4.1-nano", 1800, 2400, false)).isEqualTo(3779);
  }

  @Test
  void claudeCountsTheResizedImageAtSevenHundredFiftyPixelsATokenRoundedUp() {
    assertThat(ImageSizeRules.claude(1092, 1092, 1568)).isEqualTo(1590);
    // whole 28-px patches: 200 px is 8 of them (224 px), so 64 × 784 / 750 = 66.9, above 200² / 750 = 53.3
    assertThat(ImageSizeRules.claude(200, 200, 1568)).isEqualTo(67);
    assertThat(ImageSizeRules.claude(1000, 1000, 1568)).isEqualTo(1355);
    assertThat(ImageSizeRules.claude(3136, 1568, 1568)).isEqualTo(ImageSizeRules.claude(1568, 784, 1568));
    String square = dataUrl("image/png", TestImages.written("png", 1092, 1092));
    assertThat(ImageTokens.forUrl(Provider.ANTHROPIC, "claude-sonnet-4-5", square, false)).isEqualTo(1590);
    String huge = dataUrl("image/webp", TestImages.webpExtended(8000, 8000));
    assertThat(ImageTokens.forUrl(Provider.ANTHROPIC, "claude-sonnet-4-5", huge, false)).isEqualTo(1640);
    assertThat(ImageTokens.forUrl(Provider.ANTHROPIC, "claude-opus-4-7", huge, false)).isEqualTo(5001);
  }

  @Test
  void earlierGeminiCountsOneTileForSmallImagesAndTheLargerTileCountOtherwise() {
    assertThat(ImageSizeRules.geminiTiles(384, 384)).isEqualTo(258);
    assertThat(ImageSizeRules.geminiTiles(385, 100)).isEqualTo(6 * 2 * 258);
    // crop units of the short side / 1.5 (512 px here) give more tiles than 768-px tiles: the larger counts
    assertThat(ImageSizeRules.geminiTiles(768, 768)).isEqualTo(4 * 258);
    assertThat(ImageSizeRules.geminiTiles(3072, 3072)).isEqualTo(16 * 258);
    assertThat(ImageSizeRules.geminiTiles(960, 540)).isEqualTo(6 * 258);
    String small = dataUrl("image/gif", TestImages.written("gif", 100, 50));
    assertThat(ImageTokens.forUrl(Provider.GEMINI, "gemini-2.5-flash", small, false)).isEqualTo(258);
    assertThat(ImageTokens.forUrl(Provider.GEMINI, "gemini-3-pro-preview", small, false)).isEqualTo(2240);
  }

  @Test
  void imagesByUrlOrOfUnknownModelsKeepTheLargestBound() {
    assertThat(ImageTokens.forUrl(Provider.OPENAI, "gpt-4o-mini", "https://x/a.png", false)).isEqualTo(48169);
    assertThat(ImageTokens.forUrl(Provider.OPENAI, "gpt-4o", "https://x/a.png", true)).isEqualTo(85);
    String small = dataUrl("image/png", TestImages.written("png", 8, 8));
    assertThat(ImageTokens.forUrl(Provider.OPENAI, "my-deployment", small, false)).isEqualTo(48169);
    assertThat(ImageTokens.forUrl(Provider.MISTRAL, "pixtral-large-latest", small, false)).isEqualTo(48169);
    String base64 = Base64.getEncoder().encodeToString(TestImages.written("png", 8, 8));
    assertThat(ImageTokens.forBase64(Provider.ANTHROPIC, "claude-sonnet-4-5", base64)).isEqualTo(2);
    assertThat(ImageTokens.forBase64(Provider.ANTHROPIC, "claude-sonnet-4-5", "bm90IGFuIGltYWdl")).isEqualTo(1640);
    assertThat(ImageTokens.forBase64(Provider.ANTHROPIC, "claude-sonnet-4-5", null)).isEqualTo(1640);
  }
}
