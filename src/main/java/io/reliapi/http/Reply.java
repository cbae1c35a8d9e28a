package io.reliapi.http;

import java.util.Optional;

/**
 * What an upstream (or a stage answering for it) returned: status, end-to-end headers and body. A layer that
 * understood the answer attaches it ({@link Answer}: an LLM attempt's parsed completion, whose bytes are the
 * body, or its stream that has started). A reply rebuilt from storage has none and is rendered from its bytes.
 */
public record Reply(int status, Headers headers, Body body, Optional<Answer> answer) {

  public Reply(int status, Headers headers, Body body) {
    this(status, headers, body, Optional.empty());
  }

  public Reply withBody(Body body) {
    return new Reply(status, headers, body, answer);
  }

  public Reply withHeaders(Headers headers) {
    return new Reply(status, headers, body, answer);
  }

  /** Returns the answer if it is a {@code type}. */
  public <T extends Answer> Optional<T> answer(Class<T> type) {
    return answer.filter(type::isInstance).map(type::cast);
  }

  /** Returns what the attempt that produced this reply cost, once known; 0 for a reply without an answer. */
  public io.vertx.core.Future<Double> cost() {
    return answer.map(Answer::cost).orElse(io.vertx.core.Future.succeededFuture(0.0));
  }

  /** Returns whether the status says the upstream did not act on the request: 408, 425 or 429. */
  public boolean saysNotProcessed() {
    return status == 408 || status == 425 || status == 429;
  }
}
