package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictUtf8Test {
  @ParameterizedTest
  @ValueSource(strings = {"", "7b7d", "c2a9", "dfbf", "e0a080", "ed9fbf", "ee8080", "efbfbf", "f0908080",
      "f48fbfbf", "efbbbf7b7d"})
  void wellFormedUtf8IsJsonText(String hex) {
    assertThat(StrictUtf8.isJsonText(HexFormat.of().parseHex(hex))).as(hex).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00", "7b007d", // NUL: UTF-16 or UTF-32
      "c0c1", "c181", "e08181", "e09fbf", "f08fbfbf", // overlong forms
      "eda080", "edbfbf", // encoded surrogates
      "f4908080", "f5808080", "ff", // past U+10FFFF, never a lead
      "80", "bf", "c2", "e0a0", "f09080", "c27f", "e0a07f", "f09080c0", // stray, cut short, bad continuation
      "feff007b"}) // UTF-16 with its byte order mark
  void otherBytesAreNot(String hex) {
    assertThat(StrictUtf8.isJsonText(HexFormat.of().parseHex(hex))).as(hex).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"to\":\"caf\u00e9 \u20ac \uD83D\uDE00\"}", "plain"})
  void agreesWithJavasEncoderOnText(String text) {
    assertThat(StrictUtf8.isJsonText(text.getBytes(StandardCharsets.UTF_8))).isTrue();
  }
}
