package io.reliapi.llm.cost;

/**
 * The encodings tokens are counted with, each loaded once per process when first needed ({@link TokenEncoding}):
 * OpenAI models use their own ({@code o200k_base} for GPT-4o, GPT-4.1, GPT-5 and the o-series; {@code cl100k_base}
 * for GPT-4 and GPT-3.5); Anthropic, Mistral and unknown models, whose tokenizers are not public in Java, are counted
 * with {@code cl100k_base}.
 */
enum Vocabulary {
  CL100K("cl100k_base"),
  O200K("o200k_base");

  private final String encodingName;
  private volatile TokenEncoding loaded;

  Vocabulary(String encodingName) {
    this.encodingName = encodingName;
  }

  /** Returns the vocabulary {@code model} is counted with. */
  static Vocabulary of(String model) {
    String m = ModelNames.normalized(model);
    boolean o200 = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o")
        || m.startsWith("gpt-audio") || m.startsWith("gpt-oss");
    return o200 ? O200K : CL100K;
  }

  String encodingName() {
    return encodingName;
  }

  boolean isLoaded() {
    return loaded != null;
  }

  TokenEncoding encoding() {
    TokenEncoding encoding = loaded;
    if (encoding == null) {
      synchronized (this) {
        if (loaded == null) {
          loaded = TokenEncoding.load(encodingName);
        }
        encoding = loaded;
      }
    }
    return encoding;
  }
}
