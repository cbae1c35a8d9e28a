package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The usage a Messages stream reports across its events: {@code message_start}'s and each {@code message_delta}'s,
 * merged field by field, each count the larger of what the events state. A delta restates only some fields (one
 * without the cache fields keeps the start's), and Anthropic-compatible servers state 0 for what they do not count
 * (sglang's {@code "input_tokens": 0} in its delta), so neither replaces the start's counts. Pure.
 */
final class StreamUsage {
  private StreamUsage() {}

  /** Returns {@code into} with each numeric count of {@code reported} (nested too) raised to it where larger. */
  static ObjectNode merge(ObjectNode into, JsonNode reported) {
    for (Map.Entry<String, JsonNode> field : reported.properties()) {
      JsonNode value = field.getValue();
      JsonNode held = into.get(field.getKey());
      if (value.isObject()) {
        merge(held instanceof ObjectNode object ? object : into.putObject(field.getKey()), value);
      } else if (value.canConvertToLong() && (held == null || !held.canConvertToLong()
          || value.asLong() > held.asLong())) {
        into.put(field.getKey(), value.asLong());
      }
    }
    return into;
  }

  /**
   * Returns whether {@code usage} states the prompt: its input, cache reads and cache writes add up to more than 0,
   * as a real prompt is never 0 tokens (a server stating 0 did not count it).
   */
  static boolean promptReported(JsonNode usage) {
    return usage.path("input_tokens").asLong(0) + usage.path("cache_read_input_tokens").asLong(0)
        + usage.path("cache_creation_input_tokens").asLong(0) > 0;
  }

  /** Returns whether {@code usage} states the output: a number, not a {@code null}. */
  static boolean outputReported(JsonNode usage) {
    return usage.path("output_tokens").canConvertToLong();
  }
}
