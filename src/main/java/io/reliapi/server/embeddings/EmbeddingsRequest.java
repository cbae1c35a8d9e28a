package io.reliapi.server.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.embeddings.Embedders;
import io.reliapi.llm.embeddings.EmbeddingInput;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.llm.embeddings.EncodingFormat;
import io.reliapi.policy.cost.ModelChoice;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.TargetChoice;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed body of {@code POST /v1/embeddings}: OpenAI's embeddings request. {@code input} is a string, a list
 * of strings, a token array or a list of token arrays (at most {@value #MAX_INPUTS} items, no empty text);
 * {@code dimensions} a positive integer; {@code encoding_format} {@code float} (default) or {@code base64}; every
 * other field is kept, to pass to OpenAI-protocol providers. The target is chosen as on
 * {@code /v1/chat/completions}; one whose provider cannot serve the request is refused here.
 */
record EmbeddingsRequest(TargetConfig target, EmbeddingRequest embeddings) {
  static final int MAX_INPUTS = 2048;
  private static final Set<String> READ = Set.of("model", "input", "dimensions", "encoding_format");

  static EmbeddingsRequest parse(Buffer bytes, String targetHeader, GatewayConfig config, Inbound in) {
    JsonNode root = Json.parseOrNull(bytes.getBytes());
    if (root == null || !root.isObject()) {
      throw Fields.invalid("The request body must be a JSON object.");
    }
    TargetChoice chosen = TargetChoice.of(Fields.requiredText(root, "model"), targetHeader, config, in);
    TargetConfig target = chosen.target();
    LlmConfig llm = LlmRequests.llm(target);
    ObjectNode options = ((ObjectNode) root).deepCopy();
    READ.forEach(options::remove);
    EmbeddingRequest draft = new EmbeddingRequest(Optional.of(chosen.model()), "", input(root.get("input")),
        Fields.optionalInteger(root, "dimensions", 1, 65_536).map(Long::intValue), format(root), options,
        Optional.empty());
    if (!Embedders.serves(target, draft)) {
      throw GatewayException.of(ErrorCode.INVALID_TARGET, refusal(target, llm));
    }
    return new EmbeddingsRequest(target, draft.forTarget(ModelChoice.model(draft, llm, true), 0));
  }

  private static String refusal(TargetConfig target, LlmConfig llm) {
    String provider = llm.provider().name().toLowerCase(Locale.ROOT);
    if (Embedders.embeds(target)) {
      return "This target (provider " + provider + ") embeds texts only; token arrays need an OpenAI-protocol target.";
    }
    return "This target (provider " + provider + ") has no embeddings endpoint; choose an OpenAI-protocol, Mistral "
        + "or Gemini target.";
  }

  private static EncodingFormat format(JsonNode root) {
    JsonNode node = root.get("encoding_format");
    if (!Fields.given(node)) {
      return EncodingFormat.FLOAT;
    }
    return switch (node.isTextual() ? node.asText() : "") {
      case "float" -> EncodingFormat.FLOAT;
      case "base64" -> EncodingFormat.BASE64;
      default -> throw Fields.invalid("Field 'encoding_format' must be 'float' or 'base64'.");
    };
  }

  /** Reads {@code input}: a string, a list of strings, a token array or a list of token arrays. */
  static EmbeddingInput input(JsonNode node) {
    if (!Fields.given(node)) {
      throw Fields.invalid("Field 'input' is required.");
    }
    if (node.isTextual()) {
      return new EmbeddingInput.Texts(List.of(text(node)));
    }
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_INPUTS) {
      throw Fields.invalid("Field 'input' must be a string or a list of 1 to " + MAX_INPUTS
          + " strings or token arrays.");
    }
    if (node.get(0).isTextual()) {
      List<String> texts = new ArrayList<>(node.size());
      node.forEach(item -> texts.add(text(item)));
      return new EmbeddingInput.Texts(texts);
    }
    if (node.get(0).isIntegralNumber()) {
      return new EmbeddingInput.Tokens(List.of(tokens(node)));
    }
    List<List<Integer>> arrays = new ArrayList<>(node.size());
    node.forEach(item -> arrays.add(tokens(item)));
    return new EmbeddingInput.Tokens(arrays);
  }

  private static String text(JsonNode node) {
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw Fields.invalid("Each of 'input' must be a non-empty string (or each a token array).");
    }
    return node.asText();
  }

  private static List<Integer> tokens(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw Fields.invalid("Each token array of 'input' must be a non-empty list of token ids.");
    }
    List<Integer> ids = new ArrayList<>(node.size());
    for (JsonNode id : node) {
      if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
        throw Fields.invalid("Token ids in 'input' must be integers of 0 or more.");
      }
      ids.add(id.asInt());
    }
    return ids;
  }
}
