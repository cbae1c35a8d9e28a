package io.reliapi.policy;

import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What the rest of the pipeline gave back for one attempt or one target: an upstream answer of any status,
 * or a gateway failure. Sorts it into the error classes of SPEC §3.1, which retries, the breaker and
 * fallback all decide on.
 */
public sealed interface Outcome {

  static Outcome of(AsyncResult<Reply> result) {
    return result.succeeded() ? new Answered(result.result()) : new Failed(GatewayException.from(result.cause()));
  }

  /** Returns the retryable class, or empty when the outcome is final (success, other status, other error). */
  Optional<ErrorClass> errorClass();

  /** Returns whether request bytes may have left the gateway. */
  boolean sentUpstream();

  /** Returns whether the upstream may have acted on the request; false for 429 and failures before sending. */
  boolean mayHaveBeenProcessed();

  /** Releases a streamed body nobody will read (the outcome is being replaced by another attempt). */
  void discard();

  /** Returns the outcome as the future a stage hands back. */
  Future<Reply> toFuture();

  /** The upstream answered, with any status. */
  record Answered(Reply reply) implements Outcome {
    @Override
    public Optional<ErrorClass> errorClass() {
      return switch (reply.status()) {
        case 429 -> Optional.of(ErrorClass.RATE_LIMITED);
        case 500, 502, 503, 504, 529 -> Optional.of(ErrorClass.SERVER_ERROR);
        default -> Optional.empty();
      };
    }

    @Override
    public boolean sentUpstream() {
      return true;
    }

    @Override
    public boolean mayHaveBeenProcessed() {
      // RFC 6585: a 429 means the request was refused, not acted upon.
      return reply.status() != 429;
    }

    @Override
    public void discard() {
      reply.body().discard();
    }

    @Override
    public Future<Reply> toFuture() {
      return Future.succeededFuture(reply);
    }
  }

  /** The gateway or the wire failed: a network error, a timeout, an open breaker, a rejection. */
  record Failed(GatewayException error) implements Outcome {
    /**
     * A failure that says nothing about the target (the client's own limit or hang-up) has no class: it is final.
     * A fault of a provider's stream before it reached the client (a cut, a stall, a malformed event) is
     * {@code net} whatever its code; a stream without a first token in time is {@code timeout} by its code.
     */
    @Override
    public Optional<ErrorClass> errorClass() {
      if (error.targetBlameless()) {
        return Optional.empty();
      }
      if (error.streamFault()) {
        return Optional.of(ErrorClass.NETWORK);
      }
      return switch (error.code()) {
        case NETWORK_ERROR -> Optional.of(ErrorClass.NETWORK);
        case UPSTREAM_TIMEOUT -> Optional.of(ErrorClass.TIMEOUT);
        default -> Optional.empty();
      };
    }

    @Override
    public boolean sentUpstream() {
      return error.sentUpstream();
    }

    @Override
    public boolean mayHaveBeenProcessed() {
      return error.sentUpstream();
    }

    @Override
    public void discard() {}

    @Override
    public Future<Reply> toFuture() {
      return Future.failedFuture(error);
    }

    public ErrorCode code() {
      return error.code();
    }
  }
}
