package io.reliapi.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.embeddings.Embedder;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * One provider protocol. An adapter owns everything about its wire format: where the credential goes, the
 * request, the response, usage, errors and the streaming events. Adapters are stateless and thread-safe.
 */
public interface Provider {

  /** Returns the protocol's name as {@code meta.provider} shows it. */
  String name();

  /** Returns the wire protocol the provider speaks; a request a client wrote in it is sent as written. */
  WireProtocol protocol();

  /**
   * Returns the adapter that sends {@code request} to a target with {@code llm}: this one, unless the request was
   * written in another protocol the target also serves (an OpenAI target's Responses API), whose adapter then
   * sends it as written.
   */
  default Provider serving(ChatRequest request, LlmConfig llm) {
    return this;
  }

  /** Returns the header(s) that carry the target's {@code auth} secret to this provider. */
  Headers credentials(TargetConfig target);

  /** Builds the HTTP call for {@code request}; its path is appended to the target's {@code base_url}. */
  HttpCall call(ChatRequest request, LlmConfig llm);

  /** Returns the path of the chat endpoint below {@code base_url}, the one raw-route path that is always priced. */
  String chatPath();

  /**
   * Reads a call to the chat endpoint written in this protocol (from a raw route) into the neutral model, for
   * pricing; the result carries the body ({@link ChatRequest#nativeBody()}). Fails with INVALID_REQUEST only
   * where the gateway cannot tell the model, the output limit, the streaming flag or the messages.
   */
  ChatRequest readNative(ObjectNode body);

  /**
   * Builds the call for a request {@link #readNative read} from a raw route: the client's own body, with the
   * fields the gateway owns set (the target's model, {@code max_tokens} after the caps, and what makes the
   * provider report usage).
   */
  HttpCall nativeCall(ChatRequest request, LlmConfig llm);

  /**
   * Returns the events of a native stream to hold back from the client: those the gateway asked the provider
   * for and the client did not (OpenAI's usage chunk). Null when there are none.
   */
  default Predicate<SseEvent> withheld(ChatRequest request) {
    return null;
  }

  /**
   * Returns the call that asks the provider to count the prompt of {@code request} for its model, free of
   * charge (Anthropic's {@code /messages/count_tokens}, Gemini's {@code models/{model}:countTokens}), or empty
   * where the provider has no such endpoint and the gateway counts with its own tokenizer.
   */
  default Optional<HttpCall> countCall(ChatRequest request, LlmConfig llm) {
    return Optional.empty();
  }

  /** Reads the answer to a {@link #countCall}: the prompt's tokens, or empty when it cannot be understood. */
  default OptionalLong count(byte[] body) {
    return OptionalLong.empty();
  }

  /**
   * Reads a successful, non-streaming answer. Fails with UPSTREAM_INVALID_RESPONSE when the body cannot be
   * understood.
   */
  ParsedAnswer complete(byte[] body, long createdEpochS);

  /** Reads a successful answer as received; a provider that can hand the same bytes on overrides it. */
  default ParsedAnswer complete(Buffer body, long createdEpochS) {
    return complete(body.getBytes(), createdEpochS);
  }

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

  /** Returns the provider's embeddings endpoint; empty when it has none (Anthropic). */
  default Optional<Embedder> embedder() {
    return Optional.empty();
  }
}
