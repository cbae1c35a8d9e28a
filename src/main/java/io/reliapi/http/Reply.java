package io.reliapi.http;

import io.reliapi.llm.ChatAnswer;
import java.util.Optional;

/**
 * What an upstream (or a stage answering for it) returned: status, end-to-end headers and body. An LLM
 * attempt also attaches its {@code chat} answer: the parsed completion (whose canonical bytes are the body)
 * or the stream that has started. A reply rebuilt from storage has none and is rendered from its bytes.
 */
public record Reply(int status, Headers headers, Body body, Optional<ChatAnswer> chat) {

  public Reply(int status, Headers headers, Body body) {
    this(status, headers, body, Optional.empty());
  }

  public Reply withBody(Body body) {
    return new Reply(status, headers, body, chat);
  }

  public Reply withHeaders(Headers headers) {
    return new Reply(status, headers, body, chat);
  }

  /** Returns whether the status says the upstream did not act on the request: 408, 425 or 429. */
  public boolean saysNotProcessed() {
    return status == 408 || status == 425 || status == 429;
  }
}
