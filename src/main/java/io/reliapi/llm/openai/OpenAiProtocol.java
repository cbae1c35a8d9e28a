package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.OpenAiHosts;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatCompletion;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ToolCallIdFit;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.OutputText;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.ProtocolItems;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.SseEvent;
import io.reliapi.llm.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import java.util.function.Predicate;

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
   * decides (model, messages, {@code max_tokens} after caps under the name {@link OutputLimitName} picks, sampling,
   * stop, stream), then {@code extra} as is, and last the usage report, which the gateway owns whatever the client
   * wrote. Tool-call ids fit the dialect, or OpenAI's own limit at a {@code host} that has it
   * ({@link ToolCallIdFit#OPENAI_CHAT}).
   */
  public HttpCall call(ChatRequest request, OpenAiHosts.Host host) {
    ObjectNode body = request.options().deepCopy();
    String limitName = OutputLimitName.of(dialect, host, request.model(), body.has("max_completion_tokens"));
    body.remove("max_tokens");
    body.remove("max_completion_tokens");
    body.remove("stream");
    dialect.adaptRequest(body);
    body.put("model", request.model());
    ArrayNode messages = ChatJson.openAiMessages(request.messages());
    (host.hasOpenAisLimits() ? ToolCallIdFit.OPENAI_CHAT : dialect.toolCallIds()).fitMessages(messages);
    body.set("messages", messages);
    body.put(limitName, request.maxTokens());
    request.temperature().ifPresent(t -> body.put("temperature", t));
    request.topP().ifPresent(p -> body.put("top_p", p));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    request.extra().properties().forEach(e -> body.set(e.getKey(), e.getValue()));
    ownUsageReport(body, request.stream());
    return JsonPost.of(PATH, body, request.stream());
  }

  /**
   * Builds the call for a request a client wrote in this protocol on a raw route: its own body, with the
   * target's model, {@code max_tokens} after the caps (under the name {@link OutputLimitName} picks for
   * {@code host}) and, for a stream, the usage report.
   */
  public HttpCall nativeCall(ChatRequest request, OpenAiHosts.Host host) {
    ObjectNode body = request.nativeBody().orElseThrow().body().deepCopy();
    String limitName = OutputLimitName.of(dialect, host, request.model(), body.has("max_completion_tokens"));
    body.remove("max_tokens");
    body.remove("max_completion_tokens");
    body.put("model", request.model());
    body.put(limitName, request.maxTokens());
    if (request.stream()) {
      ownUsageReport(body, true);
    }
    return JsonPost.of(PATH, body, request.stream());
  }

  /**
   * Returns the events of a native stream the client did not ask for: the usage chunk, when the gateway added
   * {@code stream_options.include_usage} for its own accounting. Null when the client gets every event.
   */
  public Predicate<SseEvent> withheld(ChatRequest request) {
    if (!request.stream() || !dialect.asksForStreamUsage() || request.wantsStreamUsage()) {
      return null;
    }
    return OpenAiStreamDecoder::isUsageOnly;
  }

  /**
   * Makes a stream report its usage where the server supports {@code stream_options} (a client cannot switch it
   * off: what it asked for decides only whether it is shown the usage chunk), and removes the field where it
   * does not apply: a server that refuses it, or an answer that is not streamed.
   */
  private void ownUsageReport(ObjectNode body, boolean stream) {
    if (!stream || !dialect.asksForStreamUsage()) {
      body.remove("stream_options");
      return;
    }
    JsonNode existing = body.get("stream_options");
    ObjectNode options = existing instanceof ObjectNode own ? own.deepCopy() : ChatJson.object();
    options.put("include_usage", true);
    body.set("stream_options", options);
  }

  /** Reads a successful answer; the provider's own bytes stay canonical unless the dialect had to change them. */
  public ParsedAnswer complete(Buffer body) {
    JsonNode root = Json.parseOrNull(body.getBytes());
    if (root == null || !root.isObject() || !root.path("choices").isArray()) {
      throw ChatCompletionErrors.invalid();
    }
    boolean changed = false;
    for (JsonNode choice : root.get("choices")) {
      if (choice.isObject()) {
        changed |= dialect.normalizeChoice((ObjectNode) choice, "message");
        // The gateway's own stored member: never taken from a provider, which could otherwise have blocks of its
        // making rendered as another protocol's native items.
        changed |= choice.path("message") instanceof ObjectNode message && message.remove(ProtocolItems.MEMBER) != null;
      }
    }
    var result = ChatCompletion.read(root);
    StringBuilder billed = new StringBuilder();
    root.get("choices").forEach(choice -> OutputText.appendOpenAi(choice.path("message"), billed));
    return new ParsedAnswer(result, changed ? ChatCompletion.bytes(root) : body,
        billed.toString());
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
