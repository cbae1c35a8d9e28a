package io.reliapi.server;

import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Trace;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request as it arrives, before its route has parsed it: who sent it, when, its trace, and the keep-alive
 * hold a streaming route may start while it waits for its answer.
 */
public record Inbound(
    HttpServerRequest request,
    String requestId,
    long startNanos,
    Caller caller,
    Trace trace,
    Cancellation cancellation,
    StreamHold hold) {}
