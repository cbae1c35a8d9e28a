package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.Provider;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever an inline image holds, its count never throws and never passes its family's largest bound. */
class ImageSizePropertiesTest {
  static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "claude-sonnet-4-5", "claude-opus-4-7",
      "gemini-2.5-flash", "gemini-3-pro-preview", "some-model"};
  static final byte[][] SIGNATURES = {{}, {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13,
      'I', 'H', 'D', 'R'}, {'G', 'I', 'F', '8', '9', 'a'}, {(byte) 0xff, (byte) 0xd8}, {(byte) 0xff, (byte) 0xd8,
      (byte) 0xff, (byte) 0xc0}, {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X'}};

  @Property(tries = 2000)
  void randomBytesBehindAnyKnownSignatureNeverThrowAndNeverPassTheBound(
      @ForAll @Size(max = 300) byte[] tail, @ForAll @IntRange(max = 5) int signature,
      @ForAll @IntRange(max = 7) int model, @ForAll boolean lowDetail, @ForAll boolean cutMidGroup) {
    byte[] head = SIGNATURES[signature];
    byte[] bytes = new byte[head.length + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(tail, 0, bytes, head.length, tail.length);
    String base64 = Base64.getEncoder().encodeToString(bytes);
    if (cutMidGroup && base64.length() > 2) {
      base64 = base64.substring(0, base64.length() - 2);
    }
    for (Provider provider : new Provider[] {null, Provider.OPENAI, Provider.ANTHROPIC, Provider.GEMINI}) {
      int most = ImageTokens.bound(provider, MODELS[model], lowDetail);
      int counted = ImageTokens.forUrl(provider, MODELS[model], "data:image/png;base64," + base64, lowDetail);
      assertThat(counted).isBetween(1, most);
      assertThat(ImageTokens.forBase64(provider, MODELS[model], base64)).isBetween(1, ImageTokens.bound(provider,
          MODELS[model], false));
    }
  }

  @Property(tries = 300)
  void anyDeclaredSizeCountsAtLeastOneTokenAndAtMostTheBound(
      @ForAll @IntRange(min = 1, max = 65_535) int width, @ForAll @IntRange(min = 1, max = 65_535) int height,
      @ForAll @IntRange(max = 7) int model, @ForAll boolean lowDetail) {
    String url = TestImages.dataUrl("image/webp", TestImages.webpExtended(width, height));
    int counted = ImageTokens.forUrl(Provider.OPENAI, MODELS[model], url, lowDetail);
    assertThat(counted).isBetween(1, ImageTokens.bound(Provider.OPENAI, MODELS[model], lowDetail));
  }

  @Property(tries = 200)
  void arbitraryTextAfterTheBase64MarkNeverThrows(@ForAll @Size(max = 200) String text) {
    int counted = ImageTokens.forUrl(Provider.OPENAI, "gpt-4o", "data:image/jpeg;base64," + text, false);
    assertThat(counted).isBetween(1, 1445);
  }
}
