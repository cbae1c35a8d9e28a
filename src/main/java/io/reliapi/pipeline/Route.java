package io.reliapi.pipeline;

/** The proxy routes, each rendering replies and errors in its own wire format, and NONE. */
public enum Route {
  PROXY_HTTP("http"), PROXY_LLM("llm"), OPENAI("llm"), PASSTHROUGH("http"), EMBEDDINGS("llm"),
  /** OpenAI's Responses API, {@code /v1/responses}. */
  RESPONSES("llm"),
  /** Anthropic's Messages API, {@code /v1/messages}, and its token count, {@code /v1/messages/count_tokens}. */
  ANTHROPIC("llm"), COUNT_TOKENS("llm"),
  /** The model list, {@code /v1/models} and {@code /v1/models/{id}}: answered from the config, never proxied. */
  MODELS("llm"),
  /** A request that matched no route (or the wrong method); logged and counted, never proxied. */
  NONE("http");

  private final String kind;

  Route(String kind) {
    this.kind = kind;
  }

  /** Returns the metric and log label: {@code http} or {@code llm}. */
  public String kind() {
    return kind;
  }
}
