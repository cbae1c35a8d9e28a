package io.reliapi.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per unexpected failure (a bug): which step failed, the request it failed, and the failure's
 * {@link StackFingerprint}. The failure itself is not handed to the logger, so neither its message nor its
 * stack trace can be written; the fingerprint is worked out on the log writer's thread.
 */
public final class InternalErrorLog implements GatewayEvents {
  private static final Logger LOG = LoggerFactory.getLogger("reliapi.internal");

  @Override
  public void internalError(String step, String requestId, Throwable failure) {
    if (LOG.isErrorEnabled()) {
      LOG.error("internal error", (JsonLine.Fields) line -> fields(step, requestId, StackFingerprint.of(failure), line));
    }
  }

  static void fields(String step, String requestId, StackFingerprint fingerprint, JsonLine line) {
    line.field("request_id", requestId)
        .field("stage", step)
        .field("error_type", fingerprint.type())
        .field("cause_type", fingerprint.causeType())
        .field("fingerprint", fingerprint.hash())
        .field("frames", fingerprint.frames());
  }
}
