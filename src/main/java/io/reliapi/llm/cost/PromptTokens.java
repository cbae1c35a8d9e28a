package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.Set;

/**
 * A chat prompt counted as OpenAI does: 3 tokens per message plus its role and content, 1 more for a name, and 3 to
 * prime the reply; tool calls, tool definitions, schemas and other structured input count as their JSON text; an
 * inline image counts what its model bills for its size, read from its header, and any other image the most its
 * model can be billed for one ({@link ImageTokens}). Only the request fields known to be settings without text
 * ({@link #SETTINGS}) are left out, so a field the gateway does not know yet counts rather than goes free.
 */
final class PromptTokens {
  private static final int PER_MESSAGE = 3;
  private static final int PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;

  private PromptTokens() {}

  /** Counts {@code request}'s prompt; {@code provider} is null when the caller does not know it. */
  static long count(ChatRequest request, Provider provider) {
    TokenEncoding encoding = Vocabulary.of(request.model()).encoding();
    long tokens = REPLY_PRIMING;
    for (ChatMessage message : request.messages()) {
      tokens += PER_MESSAGE + TextTokens.count(encoding, message.role());
      if (message.content().isPresent()) {
        tokens += content(encoding, message.content().get(), provider, request.model());
      }
      for (var field : message.fields().properties()) {
        tokens += (field.getKey().equals("name") ? PER_NAME : 0) + json(encoding, field.getValue());
      }
    }
    return tokens + fields(encoding, request.options()) + fields(encoding, request.extra()) + hostedCalls(encoding,
        request);
  }

  /**
   * Counts the hosted tools' call items (such as {@code web_search_call}) in a Responses API body's {@code input}:
   * its neutral reading leaves them out, but a Responses API target is sent them as written, so without this a
   * client could carry any text past the estimate (and a hard cap) in one. Reasoning items are not text the client
   * chose: their encrypted content is bounded, for the money only, by {@link ReasoningItems}.
   */
  private static long hostedCalls(TokenEncoding encoding, ChatRequest request) {
    NativeBody body = request.nativeBody().orElse(null);
    if (body == null || body.protocol() != WireProtocol.OPENAI_RESPONSES || !body.body().path("input").isArray()) {
      return 0;
    }
    long tokens = 0;
    for (JsonNode item : body.body().get("input")) {
      String type = item.path("type").asText("");
      if (type.endsWith("_call") && !type.equals("function_call") && !type.equals("custom_tool_call")) {
        tokens += json(encoding, item);
      }
    }
    return tokens;
  }

  /** Request fields that are settings, not input: they carry no text the provider bills as prompt. */
  static final Set<String> SETTINGS = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
      "max_output_tokens", "stream", "stream_options", "n", "temperature", "top_p", "top_k", "seed", "random_seed",
      "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls",
      "user", "store", "service_tier", "reasoning_effort", "verbosity", "modalities", "safe_prompt", "stop",
      "stop_sequences", "prompt_cache_key", "safety_identifier", "metadata", "thinking");

  private static long fields(TokenEncoding encoding, JsonNode fields) {
    long tokens = 0;
    for (var field : fields.properties()) {
      if (!SETTINGS.contains(field.getKey())) {
        tokens += json(encoding, field.getValue());
      }
    }
    return tokens;
  }

  private static long content(TokenEncoding encoding, Content content, Provider provider, String model) {
    return switch (content) {
      case Content.Text text -> TextTokens.count(encoding, text.text());
      case Content.Parts parts -> {
        long sum = 0;
        for (ContentPart part : parts.parts()) {
          sum += switch (part) {
            case ContentPart.Text text -> TextTokens.count(encoding, text.text());
            case ContentPart.Image image ->
                ImageTokens.forUrl(provider, model, image.url(), image.detail().filter("low"::equals).isPresent());
            case ContentPart.Other other -> other(encoding, other.raw(), provider, model);
          };
        }
        yield sum;
      }
    };
  }

  /**
   * Counts a part the gateway does not interpret: an image in Anthropic's shape as one (by its size when its source
   * is inline base64), else its JSON text.
   */
  private static long other(TokenEncoding encoding, JsonNode part, Provider provider, String model) {
    if (!part.path("type").asText("").equals("image")) {
      return TextTokens.count(encoding, part.toString());
    }
    JsonNode source = part.path("source");
    boolean inline = source.path("type").asText("").equals("base64") && source.path("data").isTextual();
    return ImageTokens.forBase64(provider, model, inline ? source.get("data").asText() : null);
  }

  /** Counts a text as itself and anything structured as its JSON text. */
  private static long json(TokenEncoding encoding, JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    return TextTokens.count(encoding, node.isTextual() ? node.asText() : node.toString());
  }
}
