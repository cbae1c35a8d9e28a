package io.reliapi.pipeline;

import io.reliapi.http.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the request's calls still send the reasoning items its body carries. A provider that refuses them as
 * another organization's refuses them on every later call too, so once one call is refused every later attempt,
 * retry, hedge and resumed stream of the request sends its body without them, and the request is owed one resend
 * of the refused call, as a retry (docs/responses-api.md, "Reasoning items across accounts"). The refusals are
 * known by their replies, so that only a reply that is one is resent or held back in a hedge race, never another
 * 400 of the request. Written and read on the request's event loop only.
 */
public final class ReasoningRefusal {
  /** The retry class the resend is counted under (trail and {@code reliapi_retries_total}). */
  public static final String RETRY_CLASS = "reasoning_items";
  // Most requests never see a refusal: they hold no list.
  private List<Reply> refusals = List.of();
  private boolean resendOwed;

  /** Notes that {@code refusal} refused a call's reasoning items: the first refusal is owed a resend. */
  public void refused(Reply refusal) {
    if (refusals.isEmpty()) {
      refusals = new ArrayList<>(2);
      resendOwed = true;
    }
    refusals.add(refusal);
  }

  /** Returns whether calls go without their reasoning items from now on. */
  public boolean dropped() {
    return !refusals.isEmpty();
  }

  /** Returns whether {@code reply} is a refusal of the request's reasoning items (the very reply noted). */
  public boolean isRefusal(Reply reply) {
    for (Reply refusal : refusals) {
      if (refusal == reply) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether {@code reply} is owed the resend, once: the caller makes it. The resend is taken by any reply
   * asked about, so a refusal that lost a hedge race to an answer leaves none owed for a later one.
   */
  public boolean takeResend(Reply reply) {
    if (!resendOwed) {
      return false;
    }
    boolean owed = isRefusal(reply);
    resendOwed = false;
    return owed;
  }
}
