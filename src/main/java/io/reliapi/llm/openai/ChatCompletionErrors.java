package io.reliapi.llm.openai;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/** The errors of reading an OpenAI-protocol answer. */
final class ChatCompletionErrors {
  private ChatCompletionErrors() {}

  static GatewayException invalid() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's answer could not be understood.");
  }
}
