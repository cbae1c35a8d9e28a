package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a strict JSON schema reaches Claude. The 4.5 generation and later (Opus, Sonnet, Haiku 4.5, 4.6, …, 5 …) take
 * structured outputs ({@code output_config.format}); older models refuse the field with a 400, which is final, so
 * there (and for a model id the gateway cannot read, unless the target says {@code structured_outputs: native}) the
 * schema goes as an instruction in the system prompt instead: not a guarantee, but the request works and the answer
 * is asked for in the shape the client reads, where dropping the schema let it come back as prose.
 */
final class StructuredOutputs {
  /**
   * {@code claude-sonnet-4-5-20250929}, {@code claude-haiku-4-5}, {@code claude-opus-4-10}, {@code claude-opus-5},
   * {@code claude-sonnet-4.5}; a date is never read as the minor version.
   */
  private static final Pattern MODEL = Pattern.compile(
      "claude-(?:opus|sonnet|haiku)-(\\d{1,2})(?:[-.](\\d{1,2})(?!\\d))?");
  /** What the system prompt says when the schema cannot go as structured outputs; the schema follows it. */
  static final String INSTRUCTION = "Answer with a single JSON value, and nothing else (no prose, no code fence), "
      + "that conforms to this JSON schema:\n";

  private StructuredOutputs() {}

  static boolean supported(String model) {
    Matcher m = MODEL.matcher(model);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return major > 4 || major == 4 && minor >= 5;
  }

  /** Returns whether {@code model} on a target set to {@code mode} is sent the schema as structured outputs. */
  static boolean asNative(LlmConfig.StructuredOutputs mode, String model) {
    return switch (mode) {
      case NATIVE -> true;
      case PROMPT -> false;
      case AUTO -> supported(model);
    };
  }

  /** Sets {@code schema} on {@code body} the way {@code mode} and the body's model take it. */
  static void apply(JsonNode schema, LlmConfig.StructuredOutputs mode, ObjectNode body) {
    if (asNative(mode, body.path("model").asText(""))) {
      body.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
      return;
    }
    String instruction = INSTRUCTION + schema;
    JsonNode system = body.get("system");
    if (system instanceof ArrayNode blocks) {
      blocks.addObject().put("type", "text").put("text", instruction);
    } else if (system != null && system.isTextual()) {
      body.put("system", system.asText() + "\n\n" + instruction);
    } else {
      body.put("system", instruction);
    }
  }
}
