package io.reliapi.upstream;

import io.reliapi.http.Reply;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;

/** One attempt's state: its request once connected, and whether bytes may have gone out. */
final class InFlight {
  final Promise<Reply> result;
  HttpClientRequest request;
  boolean sent;

  InFlight(Promise<Reply> result) {
    this.result = result;
  }

  /** Ends the attempt with {@code failure} unless it ended already; a connected request is reset. */
  void fail(Throwable failure) {
    if (result.tryFail(failure) && request != null) {
      request.reset();
    }
  }

  void complete(Reply reply) {
    result.tryComplete(reply);
  }
}
