package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.embeddings.Embedder;
import io.reliapi.llm.embeddings.EmbeddingInput;
import io.reliapi.llm.embeddings.EmbeddingList;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.llm.embeddings.Embeddings;
import java.util.List;

/**
 * Gemini's embeddings: one text is {@code :embedContent} ({@code {"content": {"parts": [{"text"}]}}}), several are
 * {@code :batchEmbedContents} (one request per text, each naming the model), {@code dimensions} is
 * {@code outputDimensionality}; the answer's {@code values} become the vectors, in order. Texts only; Gemini
 * reports no usage, so the gateway counts the input. OpenAI options ({@code user}, ...) have no equivalent and are
 * dropped.
 */
final class GeminiEmbeddings implements Embedder {

  @Override
  public boolean accepts(EmbeddingRequest request) {
    return request.input() instanceof EmbeddingInput.Texts;
  }

  @Override
  public HttpCall call(EmbeddingRequest request) {
    List<String> texts = ((EmbeddingInput.Texts) request.input()).texts();
    ObjectNode body;
    String path;
    if (texts.size() == 1) {
      body = one(texts.getFirst(), request);
      path = GeminiModels.path(request.model(), "embedContent");
    } else {
      body = ChatJson.object();
      ArrayNode requests = body.putArray("requests");
      for (String text : texts) {
        requests.add(one(text, request).put("model", GeminiModels.resource(request.model())));
      }
      path = GeminiModels.path(request.model(), "batchEmbedContents");
    }
    return JsonPost.of(path, body, false);
  }

  private static ObjectNode one(String text, EmbeddingRequest request) {
    ObjectNode one = ChatJson.object();
    one.putObject("content").putArray("parts").addObject().put("text", text);
    request.dimensions().ifPresent(d -> one.put("outputDimensionality", d));
    return one;
  }

  @Override
  public Embeddings read(byte[] body, int expected) {
    JsonNode root = Json.parseOrNull(body);
    if (root == null) {
      throw EmbeddingList.invalid();
    }
    List<float[]> vectors;
    if (root.path("embedding").isObject()) {
      vectors = EmbeddingList.vectors(List.of(root.get("embedding").path("values")));
    } else if (root.path("embeddings").isArray()) {
      vectors = EmbeddingList.vectors(() -> root.get("embeddings").valueStream().map(e -> e.path("values")).iterator());
    } else {
      throw EmbeddingList.invalid();
    }
    if (vectors.size() != expected) {
      throw EmbeddingList.invalid();
    }
    return new Embeddings("", vectors, null, null);
  }
}
