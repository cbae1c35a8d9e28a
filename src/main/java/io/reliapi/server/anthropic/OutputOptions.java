package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;

/**
 * Reads a Messages request's {@code output_config} into OpenAI-dialect options. Its {@code format} of type
 * {@code json_schema} (structured outputs) becomes {@code response_format}, since an answer that ignored it would
 * not be what the client asked for. Its {@code effort} is dropped, as {@code thinking} is: it tunes how much
 * Anthropic's model thinks and writes, another model's answer is valid without it, and not every OpenAI-protocol
 * model takes a reasoning effort. Any other member is noted as untranslatable.
 */
final class OutputOptions {
  /** OpenAI requires a schema name; Anthropic's format has none. */
  private static final String SCHEMA_NAME = "output";

  private OutputOptions() {}

  static void read(JsonNode config, ObjectNode options, Untranslatable untranslatable) {
    if (!Fields.given(config)) {
      return;
    }
    if (!config.isObject()) {
      throw Fields.invalid("Field 'output_config' must be an object.");
    }
    for (var field : config.properties()) {
      switch (field.getKey()) {
        case "effort" -> { }
        case "format" -> format(field.getValue(), options, untranslatable);
        default -> untranslatable.note("'output_config." + Fields.printable(field.getKey()) + "'");
      }
    }
  }

  private static void format(JsonNode format, ObjectNode options, Untranslatable untranslatable) {
    if (format.isNull()) {
      return;
    }
    if (!format.path("type").asText("").equals("json_schema") || !format.path("schema").isObject()) {
      untranslatable.note("'output_config.format' (of type " + Fields.printable(format.path("type").asText(""))
          + ")");
      return;
    }
    ObjectNode schema = options.putObject("response_format").put("type", "json_schema").putObject("json_schema");
    schema.put("name", SCHEMA_NAME).set("schema", format.get("schema"));
  }
}
