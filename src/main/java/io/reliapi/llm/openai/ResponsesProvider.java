package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.JsonPost;
import io.reliapi.llm.ParsedAnswer;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderError;
import io.reliapi.llm.StreamDecoder;
import io.reliapi.llm.ToolCallIdFit;
import io.reliapi.llm.WireProtocol;
import io.reliapi.upstream.Credentials;

/**
 * OpenAI's Responses API (POST {@code /responses}), the second protocol of an OpenAI target that serves it
 * ({@code llm.responses_api}). {@link OpenAiProvider#serving} hands it exactly the requests a client wrote in
 * that API ({@code /v1/responses}): each is sent as written, with only the gateway's fields set, and its answer
 * (whole, or streamed as typed events) is read back into the neutral model. Every other request to the target
 * goes to its Chat Completions endpoint. The credential and the error bodies are OpenAI's, as for chat.
 */
public final class ResponsesProvider implements Provider {
  static final String PATH = "/responses";

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI_RESPONSES;
  }

  @Override
  public Headers credentials(TargetConfig target) {
    return Credentials.forHttpTarget(target);
  }

  /** Sends the client's Responses body: the only requests this adapter is given (see the class comment). */
  @Override
  public HttpCall call(ChatRequest request, LlmConfig llm) {
    return nativeCall(request, llm);
  }

  @Override
  public String chatPath() {
    return PATH;
  }

  /**
   * Not used: raw routes read an OpenAI target's calls through its Chat Completions adapter, and a raw call to
   * {@code /responses} is an ordinary raw request (open only under {@code llm.raw_paths}).
   */
  @Override
  public ChatRequest readNative(ObjectNode body) {
    throw new UnsupportedOperationException("raw routes read OpenAI calls through the Chat Completions adapter");
  }

  /**
   * Returns the client's body with the target's model, {@code max_output_tokens} after the caps and
   * {@code store: false}: the gateway keeps no state, so neither does the provider on its behalf (a client's
   * {@code store: true} never gets this far). A call that is not streamed carries no stream fields.
   */
  @Override
  public HttpCall nativeCall(ChatRequest request, LlmConfig llm) {
    ObjectNode body = request.nativeBody().orElseThrow().body().deepCopy();
    body.put("model", request.model());
    body.put("max_output_tokens", request.maxTokens());
    body.put("store", false);
    if (llm.openAiLimits()) {
      fitCallIds(body.path("input"));
    }
    if (request.stream()) {
      body.put("stream", true);
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    return JsonPost.of(PATH, body, request.stream());
  }

  /**
   * OpenAI refuses a {@code call_id} over 64 characters, such as one of the gateway's Gemini calls (it carries
   * Gemini's thought signature): each is replaced in the call and its output alike by one derived from it. The
   * client's body keeps its ids, so a fallback to another target sends them as written.
   */
  private static void fitCallIds(JsonNode input) {
    for (JsonNode item : input) {
      if (item instanceof ObjectNode node && node.path("call_id").isTextual()) {
        node.put("call_id", ToolCallIdFit.OPENAI_RESPONSES.of(node.get("call_id").asText()));
      }
    }
  }

  @Override
  public ParsedAnswer complete(byte[] body, long createdEpochS) {
    return ResponsesAnswer.read(body, createdEpochS);
  }

  @Override
  public StreamDecoder decoder(long createdEpochS) {
    return new ResponsesStreamDecoder(createdEpochS);
  }

  @Override
  public ProviderError error(byte[] body) {
    return OpenAiProtocol.error(body);
  }
}
