package io.reliapi.llm;

/**
 * A provider error that arrived as the first event of a stream, before anything reached the client. The
 * attempt turns it into an ordinary error reply with the HTTP status it stands for, so retries and fallback
 * treat it like the same error sent as a status code.
 */
public final class ProviderStreamError extends RuntimeException {
  private final int status;
  private final String body;

  ProviderStreamError(int status, String body) {
    super("provider error in stream", null, false, false);
    this.status = status;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }
}
