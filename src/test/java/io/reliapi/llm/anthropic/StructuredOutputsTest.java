package io.reliapi.llm.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.llm.ChatJson;
import org.junit.jupiter.api.Test;

class StructuredOutputsTest {
  @Test
  void theFourFiveGenerationAndLaterTakeThem() {
    for (String model : new String[] {"claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "claude-haiku-4-5",
        "claude-opus-4-6", "claude-opus-5", "anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-opus-4-10",
        "claude-opus-4-10-20270101", "claude-sonnet-4.5", "claude-sonnet-4-5@20250929"}) {
      assertThat(StructuredOutputs.supported(model)).as(model).isTrue();
    }
  }

  @Test
  void olderOrUnreadableModelsDoNot() {
    for (String model : new String[] {"claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-opus-4-1",
        "claude-3-7-sonnet-20250219", "claude-3-5-haiku-latest", "my-proxy-model", ""}) {
      assertThat(StructuredOutputs.supported(model)).as(model).isFalse();
    }
  }

  @Test
  void theTargetsSettingOverridesTheModelIdRule() {
    assertThat(StructuredOutputs.asNative(LlmConfig.StructuredOutputs.NATIVE, "claude-sonnet-latest")).isTrue();
    assertThat(StructuredOutputs.asNative(LlmConfig.StructuredOutputs.NATIVE,
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3")).isTrue();
    assertThat(StructuredOutputs.asNative(LlmConfig.StructuredOutputs.PROMPT, "claude-sonnet-4-5")).isFalse();
    assertThat(StructuredOutputs.asNative(LlmConfig.StructuredOutputs.AUTO, "claude-sonnet-4-5")).isTrue();
    assertThat(StructuredOutputs.asNative(LlmConfig.StructuredOutputs.AUTO, "claude-sonnet-latest")).isFalse();
  }

  @Test
  void aSchemaNotSentNativelyIsAskedForInTheSystemPromptWhateverItsShape() {
    ObjectNode schema = ChatJson.object().put("type", "object");
    ObjectNode none = ChatJson.object().put("model", "claude-3-7-sonnet");
    StructuredOutputs.apply(schema, LlmConfig.StructuredOutputs.AUTO, none);
    assertThat(none.get("system").asText()).isEqualTo(StructuredOutputs.INSTRUCTION + "{\"type\":\"object\"}");
    assertThat(none.has("output_config")).isFalse();

    ObjectNode blocks = ChatJson.object().put("model", "claude-3-7-sonnet");
    blocks.putArray("system").addObject().put("type", "text").put("text", "Be brief.");
    StructuredOutputs.apply(schema, LlmConfig.StructuredOutputs.AUTO, blocks);
    assertThat(blocks.get("system")).hasSize(2);
    assertThat(blocks.get("system").get(1).get("text").asText()).startsWith(StructuredOutputs.INSTRUCTION);
  }
}
