package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Body;
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

  private ForeignReasoning() {}

  /**
   * Returns {@code request} without its reasoning items when {@code provider} was sent them as written and
   * {@code reply} (its answer, read) refuses them; empty otherwise, and for a request that has none.
   */
  public static Optional<ChatRequest> withoutReasoning(Provider provider, ChatRequest request, Reply reply) {
    if (!(provider instanceof ResponsesProvider) || reply.status() != 400 || !refusesEncryptedContent(reply)) {
      return Optional.empty();
    }
    NativeBody written = request.nativeBody().orElseThrow();
    JsonNode input = written.body().path("input");
    if (!input.isArray()) {
      return Optional.empty();
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    input.forEach(item -> {
      if (!item.path("type").asText("").equals("reasoning")) {
        kept.add(item);
      }
    });
    if (kept.size() == input.size()) {
      return Optional.empty();
    }
    ObjectNode body = written.body().deepCopy();
    body.set("input", kept);
    return Optional.of(request.withNativeBody(new NativeBody(written.protocol(), body, written.answeredAsIs(),
        written.headers(), written.untranslatable())));
  }

  private static boolean refusesEncryptedContent(Reply reply) {
    if (!(reply.body() instanceof Body.Bytes bytes)) {
      return false;
    }
    JsonNode answer = Json.parseOrNull(bytes.bytes().getBytes());
    return answer != null && CODE.equals(answer.path("error").path("code").asText(""));
  }
}
