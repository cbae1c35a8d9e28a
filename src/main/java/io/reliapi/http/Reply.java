package io.reliapi.http;

/** What an upstream (or a stage answering for it) returned: status, end-to-end headers and body. */
public record Reply(int status, Headers headers, Body body) {

  public Reply withBody(Body body) {
    return new Reply(status, headers, body);
  }

  public Reply withHeaders(Headers headers) {
    return new Reply(status, headers, body);
  }

  /** Returns whether the status says the upstream did not act on the request: 408, 425 or 429. */
  public boolean saysNotProcessed() {
    return status == 408 || status == 425 || status == 429;
  }
}
