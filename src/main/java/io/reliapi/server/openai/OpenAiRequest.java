package io.reliapi.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessages;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeRequests;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.TargetChoice;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed body of {@code POST /v1/chat/completions} (SPEC §2.4): an OpenAI Chat Completions request. The
 * fields the gateway acts on are read; every other field is kept, to pass to OpenAI-protocol providers.
 */
record OpenAiRequest(TargetConfig target, ChatRequest chat) {
  private static final Set<String> READ = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
      "temperature", "top_p", "stop", "stream");

  /** Parses the body; the target is chosen by {@link TargetChoice} ({@code targetHeader} is X-ReliAPI-Target). */
  static OpenAiRequest parse(Buffer bytes, String targetHeader, GatewayConfig config, Inbound in) {
    JsonNode root = Json.parseOrNull(bytes.getBytes());
    if (root == null || !root.isObject()) {
      throw Fields.invalid("The request body must be a JSON object.");
    }
    TargetChoice choice = TargetChoice.of(Fields.requiredText(root, "model"), targetHeader, config, in);
    TargetConfig target = choice.target();
    String model = choice.model();
    ObjectNode options = ChatJson.without((ObjectNode) root, READ);
    Optional<Integer> completionTokens = LlmRequests.maxTokens(root, "max_completion_tokens");
    Optional<Integer> maxTokens = completionTokens.or(() -> LlmRequests.maxTokens(root, "max_tokens"));
    if (completionTokens.isPresent()) {
      // Remembers the field name the client used; the adapter sends the capped value under it.
      options.put("max_completion_tokens", completionTokens.get());
    }
    JsonNode streamOptions = options.get("stream_options");
    if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
      throw Fields.invalid("Field 'stream_options' must be an object.");
    }
    NativeRequests.choices(options);
    ChatRequest draft = new ChatRequest(Optional.of(model), "", ChatMessages.parse(root.get("messages")), maxTokens, 0,
        LlmRequests.number(root, "temperature", 0, 2), LlmRequests.number(root, "top_p", 0, 1),
        LlmRequests.stop(root.get("stop")), LlmRequests.bool(root, "stream"), options, ChatJson.object(),
        Optional.empty());
    return new OpenAiRequest(target, LlmRequests.forPrimary(draft, target));
  }
}
