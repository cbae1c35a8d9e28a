package io.reliapi.store;

import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.vertx.core.buffer.Buffer;

/**
 * An upstream answer kept in a store: status, end-to-end headers, the whole body and when it was stored.
 * The body buffer is never written to after it is stored, so one stored reply can be sent to many
 * clients on many event loops at once.
 *
 * @param storedAtMillis the {@link io.reliapi.time.Clock#epochMillis()} reading when it was stored
 */
public record StoredReply(int status, Headers headers, Buffer body, long storedAtMillis) {

  /** Returns a reply that renders exactly like the one that was stored. */
  public Reply toReply() {
    return new Reply(status, headers, Body.of(body.slice()));
  }

  /** Returns an estimate of the memory this reply holds, in bytes. */
  public long weight() {
    long[] chars = {0};
    headers.forEach((name, value) -> chars[0] += name.length() + value.length() + 16);
    return 64 + body.length() + 2 * chars[0];
  }
}
