package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Body;
import io.reliapi.http.DerivedKey;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.Provider;
import java.util.Optional;

/**
 * Reasoning items another OpenAI organization issued. A Responses API body sends back the reasoning items
 * ({@code encrypted_content}) of its earlier turns as written, and an OpenAI organization other than the one that
 * encrypted them (another deployment's or fallback target's account) refuses the whole call: 400 with code
 * {@code invalid_encrypted_content} ("Encrypted content organization_id did not match the target organization").
 * The model can reason again without them, so such a call is worth sending once more without its reasoning items
 * (docs/responses-api.md, "Reasoning items across accounts").
 */
public final class ForeignReasoning {
  static final String CODE = "invalid_encrypted_content";
  /** The suffix of the idempotency key forwarded with a body without its reasoning items. */
  static final String KEY_SUFFIX = ".without-reasoning";

  private ForeignReasoning() {}

  /** Returns whether {@code reply}, {@code provider}'s answer (read) to {@code request}, refuses its reasoning items. */
  public static boolean refuses(Provider provider, ChatRequest request, Reply reply) {
    return reply.status() == 400 && carriesReasoning(provider, request) && refusesEncryptedContent(reply);
  }

  /**
   * Returns {@code request} without its reasoning items when it sends {@code provider} some, empty otherwise. The
   * items whose {@code id} is optional on input lose it: OpenAI refuses an output item ({@code fc_…},
   * {@code msg_…}) whose id pairs it with a reasoning item that is not sent ("Item 'fc_…' of type 'function_call'
   * was provided without its required 'reasoning' item"). Every other item keeps it: a hosted tool's call
   * ({@code web_search_call}, {@code computer_call}, …) requires it, and an {@code item_reference} is nothing but it.
   */
  public static Optional<ChatRequest> withoutReasoning(Provider provider, ChatRequest request) {
    if (!carriesReasoning(provider, request)) {
      return Optional.empty();
    }
    NativeBody written = request.nativeBody().orElseThrow();
    ArrayNode kept = Json.MAPPER.createArrayNode();
    written.body().path("input").forEach(item -> {
      if (!isReasoning(item)) {
        kept.add(item.isObject() && item.has("id") && idOptional(type(item))
            ? ((ObjectNode) item).deepCopy().without("id") : item);
      }
    });
    // The body is copied without its input, which is replaced: a long conversation is not copied to be dropped.
    ObjectNode body = Json.MAPPER.createObjectNode();
    written.body().properties().forEach(field -> body.set(field.getKey(),
        field.getKey().equals("input") ? kept : field.getValue().deepCopy()));
    return Optional.of(request.withNativeBody(new NativeBody(written.protocol(), body, written.answeredAsIs(),
        written.headers(), written.untranslatable())));
  }

  /** Returns the idempotency key forwarded with a body without its reasoning items: not the client's (SPEC §3.4). */
  public static String keyWithoutReasoning(String key) {
    return DerivedKey.of(key, KEY_SUFFIX);
  }

  private static boolean carriesReasoning(Provider provider, ChatRequest request) {
    if (!(provider instanceof ResponsesProvider) || request.nativeBody().isEmpty()) {
      return false;
    }
    for (JsonNode item : request.nativeBody().get().body().path("input")) {
      if (isReasoning(item)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether an input item of {@code type} may go without its id: messages, function calls and outputs. */
  static boolean idOptional(String type) {
    return type.equals("message") || type.equals("function_call") || type.equals("custom_tool_call")
        || type.endsWith("_output");
  }

  private static boolean isReasoning(JsonNode item) {
    return type(item).equals("reasoning");
  }

  private static String type(JsonNode item) {
    return item.path("type").asText("");
  }

  private static boolean refusesEncryptedContent(Reply reply) {
    if (!(reply.body() instanceof Body.Bytes bytes)) {
      return false;
    }
    JsonNode answer = Json.parseOrNull(bytes.bytes().getBytes());
    return answer != null && CODE.equals(answer.path("error").path("code").asText(""));
  }
}
