package io.reliapi.upstream;

import io.reliapi.pipeline.Cancellation;

/**
 * The limits of one upstream attempt.
 *
 * @param timeoutMs        time allowed for the whole attempt (until the last byte when buffering,
 *                         until the response head when streaming; then it is the idle timeout)
 * @param buffer           whether to read the whole body before answering
 * @param maxResponseBytes the most bytes a buffered body may have
 * @param requestId        sent upstream as {@code X-Request-ID}
 */
public record Attempt(long timeoutMs, boolean buffer, long maxResponseBytes, Cancellation cancellation,
    String requestId) {}
