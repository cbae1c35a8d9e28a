package io.reliapi.server.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessages;
import io.reliapi.llm.ChatRequest;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.LlmRequests;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The parsed body of {@code POST /proxy/llm} (SPEC §2.3), validated field by field. */
record ProxyLlmRequest(TargetConfig target, ChatRequest chat, Optional<String> idempotencyKey, Optional<Long> cache) {
  private static final Set<String> FIELDS = Set.of("target", "messages", "model", "max_tokens", "temperature",
      "top_p", "stop", "stream", "idempotency_key", "cache", "extra");
  /**
   * Fields {@code extra} may not set: the gateway decides them (the model per target, {@code max_tokens} under
   * the caps, one answer in the unified format, the streaming mode), and they have top-level fields.
   */
  static final Set<String> RESERVED_EXTRA = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
      "stream", "n");
  /**
   * Provider settings objects {@code extra} may fill (Gemini's {@code generationConfig}, which Gemini also reads as
   * {@code generation_config}), and the fields in them it may not set: the output limit and the number of answers,
   * which the cost estimate is made of, under every name the provider accepts.
   */
  static final Set<String> SETTINGS_OBJECTS = Set.of("generationConfig", "generation_config");
  static final Set<String> RESERVED_SETTINGS = Set.of("maxOutputTokens", "max_output_tokens", "candidateCount",
      "candidate_count");

  static ProxyLlmRequest parse(Buffer bytes, Function<String, TargetConfig> targets) {
    JsonNode root = Json.parseOrNull(bytes.getBytes());
    if (root == null || !root.isObject()) {
      throw Fields.invalid("The request body must be a JSON object.");
    }
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw Fields.invalid("Unknown field '" + Fields.printable(name) + "'.");
      }
    }
    TargetConfig target = targets.apply(Fields.requiredText(root, "target"));
    LlmRequests.llm(target);
    Optional<String> model = Fields.optionalText(root, "model");
    if (model.isPresent() && model.get().isEmpty()) {
      throw Fields.invalid("Field 'model' must be a non-empty string.");
    }
    ChatRequest draft = new ChatRequest(model, "", ChatMessages.parse(root.get("messages")),
        LlmRequests.maxTokens(root, "max_tokens"), 0,
        LlmRequests.number(root, "temperature", 0, 2), LlmRequests.number(root, "top_p", 0, 1),
        LlmRequests.stop(root.get("stop")), LlmRequests.bool(root, "stream"), ChatJson.object(), extra(root.get("extra")),
        Optional.empty());
    return new ProxyLlmRequest(target, LlmRequests.forPrimary(draft, target),
        EnvelopeRequest.idempotencyKeyField(root.get("idempotency_key")),
        Fields.optionalInteger(root, "cache", 0, 31_536_000));
  }

  private static ObjectNode extra(JsonNode node) {
    if (!Fields.given(node)) {
      return ChatJson.object();
    }
    if (!node.isObject()) {
      throw Fields.invalid("Field 'extra' must be an object.");
    }
    for (String reserved : RESERVED_EXTRA) {
      if (node.has(reserved)) {
        throw Fields.invalid("Field 'extra' must not set '" + reserved + "'; the gateway decides it.");
      }
    }
    for (String settings : SETTINGS_OBJECTS) {
      for (String reserved : RESERVED_SETTINGS) {
        if (node.path(settings).has(reserved)) {
          throw Fields.invalid("Field 'extra' must not set '" + settings + "." + reserved
              + "'; the gateway decides it.");
        }
      }
    }
    return (ObjectNode) node;
  }
}
