package io.reliapi.pipeline;

/** The four proxy routes; each renders replies and errors in its own wire format. */
public enum Route {
  PROXY_HTTP("http"), PROXY_LLM("llm"), OPENAI("llm"), PASSTHROUGH("http");

  private final String kind;

  Route(String kind) {
    this.kind = kind;
  }

  /** Returns the metric and log label: {@code http} or {@code llm}. */
  public String kind() {
    return kind;
  }
}
