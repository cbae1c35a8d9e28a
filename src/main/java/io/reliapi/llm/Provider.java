package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;

/**
 * One provider protocol. An adapter owns everything about its wire format: where the credential goes, the
 * request, the response, usage, errors and the streaming events. Adapters are stateless and thread-safe.
 */
public interface Provider {

  /** Returns the protocol's name as {@code meta.provider} shows it. */
  String name();

  /** Returns the header(s) that carry the target's {@code auth} secret to this provider. */
  Headers credentials(TargetConfig target);

  /** Builds the HTTP call for {@code request}; its path is appended to the target's {@code base_url}. */
  HttpCall call(ChatRequest request, LlmConfig llm);

  /**
   * Reads a successful, non-streaming answer. Fails with UPSTREAM_INVALID_RESPONSE when the body cannot be
   * understood.
   */
  Completion complete(byte[] body, long createdEpochS);

  /** Returns a decoder for one streamed answer. */
  StreamDecoder decoder(long createdEpochS);

  /** Reads the provider's error body (any status of 400 or more); never fails. */
  ProviderError error(byte[] body);

  /**
   * Returns the answer's headers as the gateway passes them on; an adapter may add a standard
   * {@code Retry-After} where its provider signals the wait another way.
   */
  default Headers normalize(int status, Headers headers) {
    return headers;
  }
}
