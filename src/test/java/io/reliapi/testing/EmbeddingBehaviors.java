package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Mock embedding endpoints that answer the way OpenAI, Mistral and Gemini do on the wire: as many vectors as the
 * request has inputs, vector {@code i} of length {@code dims} being {@link #value(int, int)}.
 */
public final class EmbeddingBehaviors {
  private EmbeddingBehaviors() {}

  /** The {@code d}-th value of the vector of input {@code i}: exact in float32, and different for every place. */
  public static float value(int i, int d) {
    return (i + 1) * 0.5f - d * 0.125f;
  }

  public static String vector(int i, int dims) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    for (int d = 0; d < dims; d++) {
      out.add(Float.toString(value(i, d)));
    }
    return out.toString();
  }

  public static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("x-ratelimit-remaining-requests", "4999");
    h.put("openai-organization", "org-secret-team");
    return h;
  }

  /** OpenAI's answer: one vector per item of the request's {@code input}, {@code promptTokens} billed. */
  public static Behavior openAi(String model, int dims, int promptTokens) {
    return call -> {
      int n = inputs(call);
      StringJoiner data = new StringJoiner(",");
      for (int i = 0; i < n; i++) {
        data.add("{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":" + vector(i, dims) + "}");
      }
      String body = "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + model
          + "\",\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + promptTokens + "}}";
      Behavior.respond(200, headers(), body).respond(call);
    };
  }

  /** Mistral's answer: OpenAI's shape with an id and {@code completion_tokens: 0}. */
  public static Behavior mistral(String model, int dims, int promptTokens) {
    return call -> {
      int n = inputs(call);
      StringJoiner data = new StringJoiner(",");
      for (int i = 0; i < n; i++) {
        data.add("{\"object\":\"embedding\",\"embedding\":" + vector(i, dims) + ",\"index\":" + i + "}");
      }
      String body = "{\"id\":\"embd-aad6fc62b17349b192ef09225058bc45\",\"object\":\"list\",\"data\":[" + data
          + "],\"model\":\"" + model + "\",\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":"
          + promptTokens + ",\"completion_tokens\":0}}";
      Behavior.json(200, body).respond(call);
    };
  }

  /** Gemini's {@code embedContent} or {@code batchEmbedContents} answer, by the request's shape; no usage. */
  public static Behavior gemini(int dims) {
    return call -> {
      JsonNode request = Json.parseOrNull(call.recorded().body().getBytes());
      if (request != null && request.has("requests")) {
        StringJoiner embeddings = new StringJoiner(",");
        for (int i = 0; i < request.get("requests").size(); i++) {
          embeddings.add("{\"values\":" + vector(i, dims) + "}");
        }
        Behavior.json(200, "{\"embeddings\":[" + embeddings + "]}").respond(call);
      } else {
        Behavior.json(200, "{\"embedding\":{\"values\":" + vector(0, dims) + "}}").respond(call);
      }
    };
  }

  private static int inputs(MockUpstream.Call call) {
    JsonNode request = Json.parseOrNull(call.recorded().body().getBytes());
    JsonNode input = request == null ? null : request.get("input");
    return input == null ? 0 : input.isArray() ? input.size() : 1;
  }
}
