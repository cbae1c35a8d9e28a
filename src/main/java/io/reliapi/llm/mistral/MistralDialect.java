package io.reliapi.llm.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ToolCallIdFit;
import io.reliapi.llm.openai.Dialect;
import io.reliapi.llm.openai.OpenAiEmbeddings;
import java.util.Set;

/**
 * Mistral's departures from OpenAI's protocol. Its API rejects unknown fields (422 {@code extra_forbidden}),
 * so OpenAI-only fields are dropped; {@code seed} is {@code random_seed}; {@code tool_choice: "required"} is
 * {@code "any"}; tool-call ids of other providers get ones it accepts ({@link ToolCallIdFit#MISTRAL}); usage always ends a stream (and {@code stream_options} is refused). Answers may carry
 * content as a list of chunks (reasoning models) and finish with {@code model_length}; both are normalised
 * to OpenAI's shape.
 */
final class MistralDialect implements Dialect {
  /**
   * Mistral's embeddings endpoint: OpenAI's, with the vector length as {@code output_dimension}, no {@code user}
   * (refused as an unknown field) and texts only.
   */
  static final OpenAiEmbeddings EMBEDDINGS = new OpenAiEmbeddings("output_dimension", Set.of("user"), false);
  /** OpenAI fields Mistral's API does not accept. */
  private static final Set<String> UNSUPPORTED = Set.of("store", "metadata", "user", "service_tier", "logit_bias",
      "logprobs", "top_logprobs", "modalities", "audio", "reasoning_effort", "web_search_options", "stream_options",
      "functions", "function_call", "prompt_cache_key", "safety_identifier", "verbosity");

  @Override
  public void adaptRequest(ObjectNode body) {
    UNSUPPORTED.forEach(body::remove);
    JsonNode seed = body.remove("seed");
    if (seed != null && !body.has("random_seed")) {
      body.set("random_seed", seed);
    }
    if (body.path("tool_choice").asText("").equals("required")) {
      body.put("tool_choice", "any");
    }
  }

  @Override
  public ToolCallIdFit toolCallIds() {
    return ToolCallIdFit.MISTRAL;
  }

  @Override
  public boolean acceptsMaxCompletionTokens() {
    return false;
  }

  @Override
  public boolean asksForStreamUsage() {
    return false;
  }

  @Override
  public boolean normalizeChoice(ObjectNode choice, String messageField) {
    boolean changed = false;
    if (choice.path("finish_reason").asText("").equals("model_length")) {
      choice.put("finish_reason", "length");
      changed = true;
    }
    JsonNode message = choice.get(messageField);
    if (message instanceof ObjectNode node) {
      JsonNode content = node.get("content");
      if (content != null && content.isArray()) {
        node.put("content", ChatCompletion.textOfParts(content));
        changed = true;
      }
      JsonNode calls = node.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          changed |= normalizeToolCall(call);
        }
      }
    }
    return changed;
  }

  private static boolean normalizeToolCall(JsonNode call) {
    if (!(call instanceof ObjectNode node)) {
      return false;
    }
    boolean changed = false;
    if (!node.has("type")) {
      node.put("type", "function");
      changed = true;
    }
    JsonNode function = node.get("function");
    if (function instanceof ObjectNode fn && fn.has("arguments") && !fn.get("arguments").isTextual()) {
      fn.put("arguments", fn.get("arguments").toString());
      changed = true;
    }
    return changed;
  }
}
