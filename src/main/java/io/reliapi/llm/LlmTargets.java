package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/** What the LLM stages say when an LLM request reaches a target without an {@code llm} block. */
public final class LlmTargets {
  private LlmTargets() {}

  /** Returns the refusal of an LLM request on a target that is not an LLM target. */
  public static GatewayException notAnLlmTarget() {
    return GatewayException.of(ErrorCode.INVALID_TARGET, "This target is not an LLM target.");
  }
}
