package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code llm.reference_tokens} and a price's {@code max_input_tokens}: optional positive whole numbers. */
class ReferenceTokensConfigTest {

  static GatewayConfig parse(String llmExtras) {
    return ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm: {provider: openai, default_model: gpt-4o-mini%s}
        """.formatted(llmExtras), name -> null);
  }

  static LlmConfig llm(GatewayConfig config) {
    return config.target("openai").orElseThrow().llm().orElseThrow();
  }

  @Test
  void referenceTokensAndAPricesContextWindowAreReadWhenSet() {
    LlmConfig llm = llm(parse(", reference_tokens: 2000, prices: {my-model: {input_per_1m: 1, output_per_1m: 2, "
        + "max_input_tokens: 32768}}"));

    assertThat(llm.referenceTokens()).contains(2000);
    assertThat(llm.prices().get("my-model").maxInputTokens()).contains(32768L);
  }

  @Test
  void bothAreAbsentUnlessSet() {
    LlmConfig llm = llm(parse(", prices: {my-model: {input_per_1m: 1, output_per_1m: 2}}"));

    assertThat(llm.referenceTokens()).isEmpty();
    assertThat(llm.prices().get("my-model").maxInputTokens()).isEqualTo(Optional.empty());
  }

  @Test
  void refusesReferenceTokensThatAreNotAPositiveInteger() {
    for (String bad : new String[] {"0", "-5", "1.5", "lots", "20000000"}) {
      assertThatThrownBy(() -> parse(", reference_tokens: " + bad))
          .as(bad)
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
              .satisfies(p -> assertThat(p).startsWith("targets.openai.llm.reference_tokens: ")
                  .contains("must be an integer from 1 to 10000000").contains("(got " )));
    }
  }

  @Test
  void refusesAContextWindowThatIsNotAPositiveInteger() {
    assertThatThrownBy(() -> parse(", prices: {m: {input_per_1m: 1, output_per_1m: 2, max_input_tokens: 0}}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p).startsWith("targets.openai.llm.prices.m.max_input_tokens: ")
                .contains("must be an integer from 1 to 10000000")));
  }
}
