package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/**
 * What every provider's stream decoder keeps while it reads: the usage the provider reported, the finish reason
 * and the text the provider bills as output (for when it reports no usage). A decoder sets them as it decodes.
 */
public abstract class DecoderState implements StreamDecoder {
  protected final StringBuilder billed = new StringBuilder();
  protected Usage usage;
  protected String finishReason;
  /** Events that said the provider is at work on the answer ({@link #signsOfWork}). */
  protected long signsOfWork;

  @Override
  public final Usage usage() {
    return usage;
  }

  @Override
  public final String finishReason() {
    return finishReason;
  }

  @Override
  public final long signsOfWork() {
    return signsOfWork;
  }

  @Override
  public final String billedOutput() {
    return billed.toString();
  }

  @Override
  public final int billedLength() {
    return billed.length();
  }

  /** The failure of an event no decoder can read: the stream is broken. */
  public static GatewayException malformedEvent() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "The provider sent a malformed stream event.");
  }
}
