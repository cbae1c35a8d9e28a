package io.reliapi.llm.attempt;

import io.reliapi.config.LlmConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderQuery;

/**
 * Turns a neutral request into the target's provider call: the client's own body with the gateway's fields set
 * when the client wrote the provider's protocol (a raw route), else the adapter's translation. Headers earlier
 * stages put on the stand-in call (a forwarded idempotency key, say) travel along; the adapter's own headers
 * win over them.
 */
final class ProviderDispatch {
  private ProviderDispatch() {}

  static HttpCall call(Provider provider, ChatRequest request, LlmConfig llm, HttpCall standIn) {
    boolean asWritten = request.nativeBody().map(body -> body.speaks(provider)).orElse(false);
    HttpCall call = ProviderQuery.onto(
        asWritten ? nativeCall(provider, request, llm, standIn) : provider.call(request, llm), llm);
    Headers headers = standIn.headers();
    for (String name : call.headers().toLowerCaseMap().keySet()) {
      headers = headers.with(name, call.headers().get(name));
    }
    return call.withHeaders(headers);
  }

  /**
   * Returns the call of a body the client wrote in the provider's protocol; a raw route's goes to the chat
   * endpoint with the client's query, as the stand-in call holds it.
   */
  private static HttpCall nativeCall(Provider provider, ChatRequest request, LlmConfig llm, HttpCall standIn) {
    HttpCall own = provider.nativeCall(request, llm);
    return request.answeredAsIs() ? new HttpCall(own.method(), standIn.pathAndQuery(), own.headers(), own.body()) : own;
  }
}
