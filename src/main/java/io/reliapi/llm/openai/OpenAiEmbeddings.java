package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.embeddings.Embedder;
import io.reliapi.llm.embeddings.EmbeddingInput;
import io.reliapi.llm.embeddings.EmbeddingList;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.llm.embeddings.Embeddings;
import java.util.Set;

/**
 * The embeddings endpoint of OpenAI's protocol (POST {@code /embeddings}), and its dialects. The client's
 * OpenAI-dialect fields pass (those the dialect refuses dropped); the gateway sets the model, the input as a list,
 * the dimensions under the dialect's name, and always asks for float vectors, which it re-encodes for a client
 * that asked for base64.
 */
public final class OpenAiEmbeddings implements Embedder {
  static final String PATH = "/embeddings";
  /** OpenAI and every OpenAI-protocol server: token arrays taken, {@code dimensions}. */
  public static final OpenAiEmbeddings OPENAI = new OpenAiEmbeddings("dimensions", Set.of(), true);

  private final String dimensionsField;
  private final Set<String> dropped;
  private final boolean takesTokens;

  /**
   * An endpoint that names the vector length {@code dimensionsField}, refuses the OpenAI fields {@code dropped}
   * and takes token arrays or not.
   */
  public OpenAiEmbeddings(String dimensionsField, Set<String> dropped, boolean takesTokens) {
    this.dimensionsField = dimensionsField;
    this.dropped = Set.copyOf(dropped);
    this.takesTokens = takesTokens;
  }

  @Override
  public boolean accepts(EmbeddingRequest request) {
    return takesTokens || request.input() instanceof EmbeddingInput.Texts;
  }

  @Override
  public HttpCall call(EmbeddingRequest request) {
    ObjectNode body = request.options().deepCopy();
    dropped.forEach(body::remove);
    body.put("model", request.model());
    body.set("input", request.inputJson());
    request.dimensions().ifPresent(d -> body.put(dimensionsField, d));
    body.put("encoding_format", "float");
    return JsonPost.of(PATH, body, false);
  }

  @Override
  public Embeddings read(byte[] body, int expected) {
    Embeddings answer = EmbeddingList.read(body);
    if (answer.vectors().size() != expected) {
      throw EmbeddingList.invalid();
    }
    return answer;
  }
}
