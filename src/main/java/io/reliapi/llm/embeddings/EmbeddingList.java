package io.reliapi.llm.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.llm.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embedding list, {@code {"object": "list", "data": [{"object": "embedding", "index", "embedding"}],
 * "model", "usage": {"prompt_tokens", "total_tokens"}}}: what OpenAI-protocol servers answer, what the gateway
 * stores (float vectors, so one stored answer serves clients of either encoding) and what the route writes, with
 * the vectors as numbers or as base64 of little-endian float32.
 */
public final class EmbeddingList {
  private EmbeddingList() {}

  /** Writes {@code answer} as an embedding list with its vectors in {@code format}. */
  public static Buffer write(Embeddings answer, EncodingFormat format) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("object", "list");
      out.writeArrayFieldStart("data");
      for (int i = 0; i < answer.vectors().size(); i++) {
        float[] vector = answer.vectors().get(i);
        out.writeStartObject();
        out.writeStringField("object", "embedding");
        out.writeNumberField("index", i);
        if (format == EncodingFormat.BASE64) {
          out.writeStringField("embedding", base64(vector));
        } else {
          out.writeArrayFieldStart("embedding");
          for (float value : vector) {
            out.writeNumber(value);
          }
          out.writeEndArray();
        }
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeStringField("model", answer.model());
      if (answer.usage() != null) {
        out.writeObjectFieldStart("usage");
        out.writeNumberField("prompt_tokens", answer.usage().promptTokens());
        out.writeNumberField("total_tokens", answer.usage().promptTokens());
        out.writeEndObject();
      }
      out.writeEndObject();
    });
  }

  /**
   * Reads an embedding list, its items put in {@code index} order, each vector given as numbers or as base64;
   * the usage is null when the list has none. Fails with UPSTREAM_INVALID_RESPONSE when it is not one, or holds
   * a value no float32 can hold.
   */
  public static Embeddings read(byte[] bytes) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null || !root.path("data").isArray()) {
      throw invalid();
    }
    JsonNode data = root.get("data");
    float[][] vectors = new float[data.size()][];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      if (index < 0 || index >= vectors.length || vectors[index] != null) {
        throw invalid();
      }
      vectors[index] = vector(item.path("embedding"));
    }
    // Indexes are distinct and below the count, so every place is filled.
    JsonNode usage = root.path("usage");
    JsonNode prompt = usage.has("prompt_tokens") ? usage.get("prompt_tokens") : usage.path("total_tokens");
    return new Embeddings(root.path("model").asText(""), List.of(vectors),
        prompt.canConvertToLong() ? Usage.reported(prompt.asLong(), 0) : null, null);
  }

  /** Reads a vector written as a list of numbers, or as base64 of little-endian float32 values. */
  static float[] vector(JsonNode node) {
    if (node.isTextual()) {
      return fromBase64(node.asText());
    }
    if (!node.isArray()) {
      throw invalid();
    }
    float[] vector = new float[node.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isNumber()) {
        throw invalid();
      }
      vector[i] = finite((float) value.asDouble());
    }
    return vector;
  }

  /** Returns the vector as base64 of consecutive little-endian IEEE-754 float32 values, 4 bytes each. */
  public static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] fromBase64(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (bytes.length % Float.BYTES != 0) {
      throw invalid();
    }
    var floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] vector = new float[floats.remaining()];
    floats.get(vector);
    for (float value : vector) {
      finite(value);
    }
    return vector;
  }

  private static float finite(float value) {
    if (!Float.isFinite(value)) {
      throw invalid();
    }
    return value;
  }

  /** Collects vectors given as lists of numbers (Gemini's {@code values}), in order. */
  public static List<float[]> vectors(Iterable<JsonNode> lists) {
    List<float[]> out = new ArrayList<>();
    for (JsonNode list : lists) {
      if (!list.isArray()) {
        throw invalid();
      }
      out.add(vector(list));
    }
    return out;
  }

  /** The error of an embeddings answer that cannot be read. */
  public static GatewayException invalid() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's embeddings answer could not be understood.");
  }
}
