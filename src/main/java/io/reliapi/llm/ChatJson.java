package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.http.JsonNodes;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Writes neutral chat data as JSON: messages in OpenAI's dialect, and the canonical form of a request. */
public final class ChatJson {
  private static final JsonNodeFactory NODES = JsonNodes.INSTANCE;

  private ChatJson() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /**
   * Returns a new object with the fields of {@code node} but {@code names}, their values shared, not copied: parsed
   * request trees are never changed in place (whoever changes a value copies it first), so only the top level,
   * whose field set differs, needs an object of its own.
   */
  public static ObjectNode without(ObjectNode node, Set<String> names) {
    ObjectNode out = NODES.objectNode();
    for (var field : node.properties()) {
      if (!names.contains(field.getKey())) {
        out.set(field.getKey(), field.getValue());
      }
    }
    return out;
  }

  /** Returns the messages as OpenAI's Chat Completions API expects them. */
  public static ArrayNode openAiMessages(List<ChatMessage> messages) {
    ArrayNode out = NODES.arrayNode(messages.size());
    for (ChatMessage message : messages) {
      ObjectNode node = out.addObject();
      node.put("role", message.role());
      message.content().ifPresentOrElse(content -> node.set("content", content(content)), () -> node.putNull("content"));
      message.fields().properties().forEach(e -> node.set(e.getKey(), e.getValue()));
    }
    return out;
  }

  static JsonNode content(Content content) {
    return switch (content) {
      case Content.Text text -> NODES.textNode(text.text());
      case Content.Parts parts -> {
        ArrayNode out = NODES.arrayNode(parts.parts().size());
        for (ContentPart part : parts.parts()) {
          out.add(part(part));
        }
        yield out;
      }
    };
  }

  private static JsonNode part(ContentPart part) {
    return switch (part) {
      case ContentPart.Text text -> NODES.objectNode().put("type", "text").put("text", text.text());
      case ContentPart.Image image -> {
        ObjectNode url = NODES.objectNode().put("url", image.url());
        image.detail().ifPresent(d -> url.put("detail", d));
        ObjectNode node = NODES.objectNode().put("type", "image_url");
        node.set("image_url", url);
        yield node;
      }
      case ContentPart.Other other -> other.raw();
    };
  }

  /**
   * Returns the canonical form of {@code request}: every field that changes the answer (model, messages,
   * {@code max_tokens}, sampling, stop, options and extra), with object keys sorted, and without
   * {@code stream} and {@code stream_options}, which change only how the answer travels. Equal requests
   * give equal bytes, so the cache and idempotency can key and fingerprint on them. A native call is its whole
   * body under {@code native}, with its protocol and protocol headers; a raw route's keeps {@code stream}, as
   * its client reads the provider's own answer, streamed or not.
   */
  public static Buffer canonical(ChatRequest request) {
    ObjectNode root = NODES.objectNode();
    if (request.nativeBody().isPresent()) {
      // A native call is answered in its own protocol: never the same as a routed one.
      NativeBody body = request.nativeBody().get();
      ObjectNode fields = body.body();
      if (!body.answeredAsIs()) {
        // Its answer is rendered from the neutral one, as a stream or whole alike.
        fields = fields.deepCopy();
        fields.remove(List.of("stream", "stream_options"));
        root.put("protocol", body.protocol().name());
      }
      if (!body.headers().isEmpty()) {
        ObjectNode headers = root.putObject("headers");
        new TreeMap<>(body.headers()).forEach(headers::put);
      }
      root.put("max_tokens", request.maxTokens());
      root.put("model", request.model());
      root.set("native", sorted(fields));
      return Json.write(out -> Json.MAPPER.writeTree(out, root));
    }
    ObjectNode options = request.options().deepCopy();
    options.remove("stream_options");
    root.set("extra", sorted(request.extra()));
    root.put("max_tokens", request.maxTokens());
    root.set("messages", sorted(openAiMessages(request.messages())));
    root.put("model", request.model());
    root.set("options", sorted(options));
    ArrayNode stop = root.putArray("stop");
    request.stop().forEach(stop::add);
    request.temperature().ifPresentOrElse(t -> root.put("temperature", t), () -> root.putNull("temperature"));
    request.topP().ifPresentOrElse(p -> root.put("top_p", p), () -> root.putNull("top_p"));
    return Json.write(out -> Json.MAPPER.writeTree(out, root));
  }

  /** Returns a copy of {@code node} whose objects list their keys in sorted order, at every depth. */
  public static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = NODES.objectNode();
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode(node.size());
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }
}
