package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a chat call written in a provider's own protocol (sent to its chat endpoint on a raw route) into the
 * neutral model, so it can be priced, capped and budgeted like any other: the model, the output limit, the
 * streaming flag and the messages; every other field becomes an option, counted into the prompt where it
 * carries text. Only what the gateway itself must understand is checked; the provider judges the rest.
 */
public final class NativeRequests {
  private NativeRequests() {}

  /**
   * Reads {@code body}, written in {@code protocol} on a raw route (its client reads the provider's answer as
   * it comes); {@code limitFields} are the names the protocol gives the output limit, in order of
   * precedence ({@code max_completion_tokens}, {@code max_tokens}).
   */
  public static ChatRequest read(ObjectNode body, List<String> limitFields, WireProtocol protocol) {
    Optional<String> model = Optional.ofNullable(body.get("model")).filter(JsonNode::isTextual).map(JsonNode::asText)
        .filter(m -> !m.isBlank());
    if (body.has("model") && !body.get("model").isNull() && model.isEmpty()) {
      throw invalid("Field 'model' must be a non-empty string.");
    }
    Optional<Integer> limit = Optional.empty();
    for (String field : limitFields) {
      if (limit.isEmpty()) {
        limit = positive(body, field);
      } else {
        positive(body, field);
      }
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw invalid("Field 'stream' must be true or false.");
    }
    choices(body);
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray()) {
      throw invalid("Field 'messages' must be a list of messages.");
    }
    ObjectNode options = body.deepCopy();
    options.remove(Set.of("model", "messages", "stream"));
    options.remove(limitFields);
    return new ChatRequest(model, "", ChatMessages.lenient(messages), limit, 0, Optional.empty(), Optional.empty(),
        List.of(), stream != null && stream.asBoolean(false), options, ChatJson.object(), Optional.empty(),
        Optional.of(new NativeBody(protocol, body, true)), Optional.empty());
  }

  private static Optional<Integer> positive(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw invalid("Field '" + field + "' must be a positive integer.");
    }
    return Optional.of(node.asInt());
  }

  /**
   * Checks the number of answers a chat body asks for ({@code n}): absent, null or a positive whole number. Output
   * is priced once per answer ({@link ChatRequest#choices()}), so a value the gateway would read as one answer (a
   * string, a fraction) and a lenient server as several is refused before it can be billed unpriced.
   */
  public static void choices(JsonNode body) {
    JsonNode n = body.get("n");
    if (n != null && !n.isNull() && !(n.isNumber() && n.canConvertToInt() && n.asDouble() == n.asInt()
        && n.asInt() >= 1)) {
      throw invalid("Field 'n' must be a positive integer.");
    }
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorCode.INVALID_REQUEST, message);
  }
}
