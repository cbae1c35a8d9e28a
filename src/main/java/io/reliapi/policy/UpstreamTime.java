package io.reliapi.policy;

import io.reliapi.http.Body;
import io.reliapi.pipeline.Exchange;

/**
 * Whether the time an attempt took says how fast the upstream is, for the breaker's slow-call rule and the
 * adaptive concurrency limit. Not when the request's body streams from the client as the attempt runs (a
 * large {@code /t/} upload): the upstream answers only after the last byte, so the attempt lasts as long as
 * the client takes to send it, and a slow uploader would look like a slow upstream to everyone's cost. Pure.
 */
public final class UpstreamTime {
  private UpstreamTime() {}

  public static boolean measures(Exchange exchange) {
    return !(exchange.call().body() instanceof Body.Stream);
  }
}
