package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests one {@link Ingress} is serving, for the end of a drain ({@code server.drain_timeout_ms}): those still
 * running then are ended by the gateway, in their route's shape, rather than left to the connection's close, which
 * would cut them without a word and log them as clients that hung up. A stream being written is failed with
 * {@link #error()}, so its route writes its own error event and ends it; a request still in the pipeline (a held
 * stream among them) is cancelled as on a hang-up (its upstream call reset, its state let go as then) and answered
 * {@link #error()}. Used on its event loop only.
 */
final class DrainCut {
  /** The request and its stream being written, null while it has none. */
  private final Map<Inbound, ChatStream> open = new IdentityHashMap<>();
  private final Set<Inbound> cut = Collections.newSetFromMap(new IdentityHashMap<>());

  /** What a request still running at the end of the drain is ended with: no fault of any target, retryable. */
  static GatewayException error() {
    return GatewayException.afterSend(ErrorCode.SHUTTING_DOWN,
        "The gateway is shutting down: the request did not finish within its drain time.").withTargetBlameless();
  }

  void arrived(Inbound in) {
    open.put(in, null);
  }

  /** {@code in}'s answer is {@code stream}, being written now. */
  void streaming(Inbound in, ChatStream stream) {
    open.replace(in, stream);
  }

  void finished(Inbound in) {
    open.remove(in);
    cut.remove(in);
  }

  /** Whether {@code in} was ended by the drain: its answer is {@link #error()}, not a hang-up. */
  boolean cut(Inbound in) {
    return cut.contains(in);
  }

  /** The drain time is over: ends every request still running. */
  void cutAll() {
    List<Map.Entry<Inbound, ChatStream>> running = new ArrayList<>(open.entrySet());
    for (Map.Entry<Inbound, ChatStream> request : running) {
      Inbound in = request.getKey();
      if (in.request().response().ended() || in.cancellation().cancelled()) {
        continue;
      }
      cut.add(in);
      if (request.getValue() != null) {
        request.getValue().fail(error());
      } else {
        in.cancellation().cancel();
      }
    }
  }
}
