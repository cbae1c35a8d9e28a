package io.reliapi.policy.cost;

import java.util.Optional;

/**
 * The prompt tokens a cost estimate counts on (docs/guides/budget-control.md, "Content by reference"). A request
 * without content by reference counts what the token counter counted. One with references counts at least its
 * model's context window, the most prompt tokens a provider can bill for a call, whatever the files hold (not one
 * window per reference: the whole prompt cannot exceed it). A target whose operator knows its files are small
 * ({@code llm.reference_tokens}) counts that many tokens per reference on top of the count instead, never more than
 * the window bound. Reasoning items sent back count their bound on top of the count, again never more than the
 * window bound ("Reasoning items sent back").
 */
public final class PromptBound {
  private PromptBound() {}

  /**
   * Returns the prompt tokens to estimate with: {@code counted} by the counter, {@code references} pieces of content
   * by reference, the model's context {@code window}, the target's {@code perReference} tokens if it set them.
   */
  public static long tokens(long counted, int references, long window, Optional<Integer> perReference) {
    if (references <= 0) {
      return counted;
    }
    long windowBound = Math.max(counted, window);
    return perReference.map(each -> Math.min(windowBound, counted + (long) each * references)).orElse(windowBound);
  }

  /**
   * Returns the prompt tokens {@code counted} by the counter plus the {@code reasoning} items' bound, at most the
   * model's context {@code window} (or the count, when that is larger): no prompt is billed beyond it.
   */
  public static long withReasoning(long counted, long reasoning, long window) {
    return reasoning <= 0 ? counted : Math.min(counted + reasoning, Math.max(counted, window));
  }
}
