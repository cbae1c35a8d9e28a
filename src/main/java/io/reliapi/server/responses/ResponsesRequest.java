package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.Providers;
import io.reliapi.llm.WireProtocol;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.server.llm.TargetChoice;
import io.reliapi.server.llm.Untranslatable;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed body of {@code POST /v1/responses}: an OpenAI Responses request, read into the neutral model
 * ({@link ResponsesInput}, {@link ResponsesOptions}) and kept as written, so a target that serves the Responses
 * API is sent the client's own body. The gateway is stateless: what needs responses or conversations kept
 * between calls is refused (see {@link #stateless}).
 */
record ResponsesRequest(TargetConfig target, ChatRequest chat) {

  /** Parses the body; the target is chosen by {@link TargetChoice} ({@code targetHeader} is X-ReliAPI-Target). */
  static ResponsesRequest parse(Buffer bytes, String targetHeader, GatewayConfig config, Inbound in) {
    JsonNode root = Json.parseOrNull(bytes.getBytes());
    if (!(root instanceof ObjectNode body)) {
      throw Fields.invalid("The request body must be a JSON object.");
    }
    stateless(body);
    TargetChoice choice = TargetChoice.of(Fields.requiredText(body, "model"), targetHeader, config, in);
    Untranslatable untranslatable = new Untranslatable();
    ObjectNode options = ResponsesOptions.chat(body, untranslatable);
    Optional<Integer> maxTokens = LlmRequests.maxTokens(body, "max_output_tokens");
    // max_output_tokens includes reasoning, like chat's max_completion_tokens: the adapters send it under that name.
    maxTokens.ifPresent(limit -> options.put("max_completion_tokens", limit));
    ChatRequest draft = new ChatRequest(Optional.of(choice.model()), "",
        ResponsesInput.messages(body.get("instructions"), body.get("input"), untranslatable), maxTokens, 0,
        LlmRequests.number(body, "temperature", 0, 2), LlmRequests.number(body, "top_p", 0, 1), List.of(),
        LlmRequests.bool(body, "stream"), options, ChatJson.object(), Optional.empty(),
        Optional.of(new NativeBody(WireProtocol.OPENAI_RESPONSES, body, false, Map.of(), untranslatable.first())),
        Optional.empty());
    untranslatable.first().ifPresent(what -> refuseUntranslatable(choice.target(), draft, what));
    return new ResponsesRequest(choice.target(), LlmRequests.forPrimary(draft, choice.target()));
  }

  /** A request holding a hosted tool (or its items) is sent only to a target that serves the Responses API. */
  private static void refuseUntranslatable(TargetConfig target, ChatRequest request, String what) {
    LlmConfig llm = LlmRequests.llm(target);
    if (Providers.of(llm.provider()).serving(request, llm).protocol() != WireProtocol.OPENAI_RESPONSES) {
      throw Fields.invalid("The request's " + what + " has no translation for target '" + target.name()
          + "' (provider " + Providers.of(llm.provider()).name() + ", without the Responses API); only targets "
          + "that serve the Responses API can serve it.");
    }
  }

  /**
   * Refuses what needs state the gateway does not keep: stored responses ({@code store: true}), continuing one
   * ({@code previous_response_id}), conversations, background responses to poll for, and stored prompt
   * templates. An omitted {@code store} is accepted (the provider is sent {@code store: false}).
   */
  private static void stateless(ObjectNode body) {
    JsonNode store = body.get("store");
    if (Fields.given(store) && !(store.isBoolean() && !store.asBoolean())) {
      throw Fields.invalid("Field 'store' must be false or absent: the gateway is stateless and keeps no responses; "
          + "send the whole conversation in 'input'.");
    }
    if (Fields.given(body.get("previous_response_id"))) {
      throw Fields.invalid("Field 'previous_response_id' is not supported: the gateway is stateless and keeps no "
          + "responses; send the earlier turns in 'input'.");
    }
    if (Fields.given(body.get("conversation"))) {
      throw Fields.invalid("Field 'conversation' is not supported: the gateway is stateless and keeps no "
          + "conversations; send the earlier turns in 'input'.");
    }
    JsonNode background = body.get("background");
    if (Fields.given(background) && !(background.isBoolean() && !background.asBoolean())) {
      throw Fields.invalid("Field 'background' must be false or absent: the gateway answers while the client waits "
          + "and keeps no responses to poll for.");
    }
    if (Fields.given(body.get("prompt"))) {
      throw Fields.invalid("Field 'prompt' (a prompt template stored at OpenAI) is not supported; send "
          + "'instructions' and 'input'.");
    }
  }
}
