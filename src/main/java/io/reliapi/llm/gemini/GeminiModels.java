package io.reliapi.llm.gemini;

import io.reliapi.llm.PercentEncoding;

/** Gemini's model paths: {@code /models/{model}:method}, the model percent-encoded as one path segment. */
final class GeminiModels {
  private GeminiModels() {}

  /** Returns the path of {@code method} ({@code generateContent}, ...) of {@code model}, below {@code base_url}. */
  static String path(String model, String method) {
    return "/models/" + PercentEncoding.encode(bare(model)) + ":" + method;
  }

  /** Returns the resource name of {@code model} as request bodies name it: {@code models/…}. */
  static String resource(String model) {
    return "models/" + bare(model);
  }

  /** Returns the model without the {@code models/} prefix that clients copying resource names may write. */
  private static String bare(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }
}
