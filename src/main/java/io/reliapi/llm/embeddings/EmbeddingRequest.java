package io.reliapi.llm.embeddings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.cost.TokenCounter;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;

/**
 * One embeddings request in the provider-neutral model (OpenAI's {@code POST /embeddings} fields), as the route
 * parsed it and the cost stages refine it per target. It has no output: it is estimated and priced on its input
 * tokens alone.
 *
 * @param requestedModel the model the client named (without a {@code target/} prefix), if any
 * @param model          the model for the current target
 * @param input          what to embed
 * @param dimensions     the vector length the client asked for ({@code dimensions}), if any
 * @param format         how the client wants the vectors written; providers are always asked for numbers
 * @param options        other request fields in OpenAI's dialect ({@code user}, ...): passed to OpenAI-protocol
 *                       providers as they are, dropped for the others
 * @param estimate       the cost estimate for the current target, once the cost caps stage made it
 */
public record EmbeddingRequest(
    Optional<String> requestedModel,
    String model,
    EmbeddingInput input,
    Optional<Integer> dimensions,
    EncodingFormat format,
    ObjectNode options,
    Optional<CostEstimate> estimate) implements PricedRequest {

  @Override
  public Optional<Integer> requestedMaxTokens() {
    return Optional.empty();
  }

  @Override
  public int maxTokens() {
    return 0;
  }

  @Override
  public int choices() {
    return 1;
  }

  @Override
  public boolean hasOutput() {
    return false;
  }

  @Override
  public EmbeddingRequest forTarget(String model, int maxTokens) {
    return new EmbeddingRequest(requestedModel, model, input, dimensions, format, options, Optional.empty());
  }

  @Override
  public EmbeddingRequest withMaxTokens(int maxTokens) {
    return this;
  }

  @Override
  public EmbeddingRequest withEstimate(CostEstimate estimate) {
    return new EmbeddingRequest(requestedModel, model, input, dimensions, format, options, Optional.of(estimate));
  }

  /**
   * Returns the canonical form of this request, the body of its exchange's stand-in call: every field that changes
   * the vectors (model, input, dimensions, options), keys sorted, without {@code encoding_format}, which changes
   * only how they are written. Equal requests give equal bytes, so the cache and idempotency key on them, and a
   * float and a base64 client share one stored answer.
   */
  public Buffer canonical() {
    ObjectNode root = ChatJson.object();
    dimensions.ifPresentOrElse(d -> root.put("dimensions", d), () -> root.putNull("dimensions"));
    root.set("input", inputJson());
    root.put("model", model);
    root.set("options", ChatJson.sorted(options));
    return Json.write(out -> Json.MAPPER.writeTree(out, root));
  }

  /** Returns the input as OpenAI writes it: a list of strings, or a list of token arrays. */
  public ArrayNode inputJson() {
    ArrayNode out = ChatJson.array();
    switch (input) {
      case EmbeddingInput.Texts texts -> texts.texts().forEach(out::add);
      case EmbeddingInput.Tokens ids -> ids.tokens().forEach(one -> {
        ArrayNode array = out.addArray();
        one.forEach(array::add);
      });
    }
    return out;
  }

  /** Counts the input: each text as the model's encoding sees it, each token array as its length. */
  @Override
  public long promptTokens(TokenCounter counter) {
    long tokens = 0;
    switch (input) {
      case EmbeddingInput.Texts texts -> {
        for (String text : texts.texts()) {
          tokens += counter.textTokens(model, text);
        }
      }
      case EmbeddingInput.Tokens ids -> {
        for (List<Integer> one : ids.tokens()) {
          tokens += one.size();
        }
      }
    }
    return tokens;
  }
}
