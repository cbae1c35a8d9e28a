package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.Providers;
import io.reliapi.llm.StopSequenceLimit;
import io.reliapi.llm.WireProtocol;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.SingleHeader;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.TargetChoice;
import io.reliapi.server.llm.Untranslatable;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed body of {@code POST /v1/messages} (and {@code /v1/messages/count_tokens}): an Anthropic Messages
 * request, kept as written for Anthropic targets ({@link NativeBody}) and read into the neutral request, a
 * faithful OpenAI-dialect reading that other providers are sent. Fields the reading drops mean nothing to them
 * ({@link #DROPPED}); a field or block it cannot carry ({@link Untranslatable}) keeps the request on Anthropic
 * targets, and is refused with 400 when the chosen target speaks another protocol.
 */
record MessagesRequest(TargetConfig target, ChatRequest chat) {
  /** The fields read into the neutral request. */
  private static final Set<String> READ = Set.of("model", "max_tokens", "messages", "system", "stop_sequences",
      "temperature", "top_p", "stream", "tools", "tool_choice", "metadata", "output_config");
  /**
   * Fields only Anthropic acts on, whose absence leaves another model's answer valid: sampling ({@code top_k}),
   * extended thinking, prompt caching, the service tier and context editing.
   */
  private static final Set<String> DROPPED = Set.of("top_k", "thinking", "cache_control", "service_tier",
      "context_management", "inference_geo");
  /** The header that travels with the body to Anthropic targets. */
  static final String BETA = "anthropic-beta";

  /** Parses the body of a message; the target is chosen as on {@code /v1/chat/completions} ({@link TargetChoice}). */
  static MessagesRequest parse(Buffer bytes, GatewayConfig config, Inbound in) {
    return parse(bytes, config, in, true);
  }

  /** Parses the body of a token count: any target can count any request, so nothing is refused as untranslatable. */
  static MessagesRequest forCounting(Buffer bytes, GatewayConfig config, Inbound in) {
    return parse(bytes, config, in, false);
  }

  private static MessagesRequest parse(Buffer bytes, GatewayConfig config, Inbound in, boolean sent) {
    JsonNode parsed = Json.parseOrNull(bytes.getBytes());
    if (!(parsed instanceof ObjectNode root)) {
      throw Fields.invalid("The request body must be a JSON object.");
    }
    var headers = in.request().headers();
    TargetChoice choice = TargetChoice.of(Fields.requiredText(root, "model"), SingleHeader.target(in.request()),
        config, in);
    Untranslatable untranslatable = new Untranslatable();
    List<ChatMessage> messages = new MessageTurns(untranslatable).read(root.get("system"), root.get("messages"));
    ObjectNode options = ChatJson.object();
    ToolOptions.read(root, options, untranslatable);
    OutputOptions.read(root.get("output_config"), options, untranslatable);
    Fields.optionalInteger(root, "top_k", 0, Integer.MAX_VALUE);
    root.fieldNames().forEachRemaining(name -> {
      if (!READ.contains(name) && !DROPPED.contains(name)) {
        untranslatable.note("field '" + Fields.printable(name) + "'");
      }
    });
    List<String> stops = stopSequences(root.get("stop_sequences"));
    List<String> beta = headers.getAll(BETA);
    Map<String, String> protocolHeaders = beta.isEmpty() ? Map.of() : Map.of(BETA, String.join(",", beta));
    NativeBody body = new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, root, false, protocolHeaders,
        untranslatable.first());
    ChatRequest draft = new ChatRequest(Optional.of(choice.model()), "", messages,
        LlmRequests.maxTokens(root, "max_tokens"), 0, LlmRequests.number(root, "temperature", 0, 1),
        LlmRequests.number(root, "top_p", 0, 1), stops,
        LlmRequests.bool(root, "stream"), options, ChatJson.object(), Optional.empty(), Optional.of(body),
        Optional.empty());
    if (sent) {
      refuseUntranslatable(choice.target(), untranslatable);
      refuseStops(choice.target(), draft);
    }
    return new MessagesRequest(choice.target(), LlmRequests.forPrimary(draft, choice.target()));
  }

  private static void refuseUntranslatable(TargetConfig target, Untranslatable untranslatable) {
    var provider = Providers.of(LlmRequests.llm(target).provider());
    if (provider.protocol() != WireProtocol.ANTHROPIC_MESSAGES && untranslatable.first().isPresent()) {
      throw Fields.invalid("The request's " + untranslatable.first().get() + " has no translation for target '"
          + target.name() + "' (provider " + provider.name() + "); only Anthropic targets can serve it.");
    }
  }

  /** More stop sequences than the target takes ({@link StopSequenceLimit}); its fallbacks skip such targets. */
  private static void refuseStops(TargetConfig target, ChatRequest request) {
    if (StopSequenceLimit.exceeded(target, request)) {
      throw Fields.invalid("The request's 'stop_sequences' (" + request.stop().size() + " of them) has no "
          + "translation for target '" + target.name() + "', which takes at most "
          + StopSequenceLimit.of(target).getAsInt() + "; Anthropic targets and other OpenAI-protocol servers "
          + "(vLLM, Ollama) can serve it.");
    }
  }

  private static List<String> stopSequences(JsonNode node) {
    if (!Fields.given(node)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> out.add(item.isTextual() ? item.asText() : null));
    }
    if (!node.isArray() || out.contains(null)) {
      throw Fields.invalid("Field 'stop_sequences' must be a list of strings.");
    }
    return out;
  }
}
