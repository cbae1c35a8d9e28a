package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;

/**
 * The Chat Completions protocol (POST {@code /chat/completions}) that OpenAI and the many servers copying it
 * speak, with one {@link Dialect}'s departures applied.
 */
public final class OpenAiProtocol {
  static final String PATH = "/chat/completions";
  private final Dialect dialect;

  public OpenAiProtocol(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Builds the call: the client's OpenAI-dialect fields first (unknown ones kept), then the fields the gateway
   * decides (model, messages, {@code max_tokens} after caps, sampling, stop, stream), then {@code extra} as is.
   */
  public HttpCall call(ChatRequest request) {
    ObjectNode body = request.options().deepCopy();
    boolean completionTokens = body.has("max_completion_tokens") && dialect.acceptsMaxCompletionTokens();
    body.remove("max_tokens");
    body.remove("max_completion_tokens");
    body.remove("stream");
    if (!request.stream()) {
      body.remove("stream_options");
    }
    dialect.adaptRequest(body);
    body.put("model", request.model());
    body.set("messages", ChatJson.openAiMessages(request.messages()));
    // Newer OpenAI models accept only max_completion_tokens; keep the name the client used.
    body.put(completionTokens ? "max_completion_tokens" : "max_tokens", request.maxTokens());
    request.temperature().ifPresent(t -> body.put("temperature", t));
    request.topP().ifPresent(p -> body.put("top_p", p));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.stream()) {
      body.put("stream", true);
      if (dialect.asksForStreamUsage()) {
        JsonNode existing = body.get("stream_options");
        ObjectNode options = existing != null && existing.isObject() ? (ObjectNode) existing : body.putObject("stream_options");
        options.put("include_usage", true);
      }
    }
    request.extra().properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    Headers headers = Headers.of("Content-Type", "application/json",
        "Accept", request.stream() ? "text/event-stream" : "application/json");
    return new HttpCall("POST", PATH, headers, Body.of(Json.write(out -> Json.MAPPER.writeTree(out, body))));
  }

  /** Reads a successful answer; the provider's own bytes stay canonical unless the dialect had to change them. */
  public Completion complete(byte[] bytes) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.isObject() || !root.path("choices").isArray()) {
      throw ChatCompletionErrors.invalid();
    }
    boolean changed = false;
    for (JsonNode choice : root.get("choices")) {
      if (choice.isObject()) {
        changed |= dialect.normalizeChoice((ObjectNode) choice, "message");
      }
    }
    var result = ChatCompletion.read(root);
    return new Completion(result, changed ? ChatCompletion.bytes(root) : io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  public StreamDecoder decoder() {
    return new OpenAiStreamDecoder(dialect);
  }

  /** Reads OpenAI's {@code {"error": {...}}} body, or the flat {@code {"type", "code"}} some servers send. */
  public static ProviderError error(byte[] bytes) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.isObject()) {
      return ProviderError.none();
    }
    JsonNode error = root.path("error").isObject() ? root.get("error") : root;
    return ProviderError.of(text(error.get("type")), text(error.get("code")));
  }

  private static String text(JsonNode node) {
    return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : null;
  }
}
