package io.reliapi.pipeline;

/**
 * Whether the request's calls still send the reasoning items its body carries. A provider that refuses them as
 * another organization's refuses them on every later call too, so once one call is refused every later attempt,
 * retry, hedge and resumed stream of the request sends its body without them, and the request is owed one resend
 * of the refused call, as a retry (docs/responses-api.md, "Reasoning items across accounts"). Written and read on
 * the request's event loop only.
 */
public final class ReasoningItems {
  /** The retry class the resend is counted under (trail and {@code reliapi_retries_total}). */
  public static final String RETRY_CLASS = "reasoning_items";
  private boolean refused;
  private boolean resendOwed;

  /** Notes that a call was refused for its reasoning items: the first refusal is owed a resend. */
  public void refused() {
    resendOwed = !refused;
    refused = true;
  }

  /** Returns whether calls go without their reasoning items from now on. */
  public boolean dropped() {
    return refused;
  }

  /** Returns whether a resend is owed, once: the caller makes it. */
  public boolean takeResend() {
    boolean owed = resendOwed;
    resendOwed = false;
    return owed;
  }
}
