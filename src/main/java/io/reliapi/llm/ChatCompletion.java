package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * The OpenAI {@code chat.completion} object: the canonical form of a finished answer, whichever provider gave
 * it. Adapters of other protocols write it; routes read it, from a fresh answer or a stored one alike. What OpenAI's
 * shape has no member for travels in members other servers use: the stop sequence an answer ended at in the choice's
 * {@code stop_reason} (vLLM's), a finish OpenAI has no word for in its {@code native_finish_reason} (OpenRouter's),
 * with {@code finish_reason} the nearest OpenAI word. Items a provider gave in its own protocol's form, for clients of
 * that protocol alone, travel in the message's {@value ProtocolItems#MEMBER} member ({@link ProtocolItems}), which an
 * OpenAI client is never shown.
 */
public final class ChatCompletion {
  /** Anthropic's finish of a long turn the server paused: the client sends the answer back to let it go on. */
  public static final String PAUSE_TURN = "pause_turn";

  private ChatCompletion() {}

  /** Returns a neutral finish reason in OpenAI's words: a paused turn stopped (for now). */
  public static String openAiFinish(String finishReason) {
    return PAUSE_TURN.equals(finishReason) ? "stop" : finishReason;
  }

  /**
   * Returns the stop sequence a choice that finished for {@code finish} ended at: vLLM names it in the choice's
   * {@code stop_reason} (a stop token's id there is a number, not a sequence); null when not named.
   */
  public static String stopSequence(JsonNode choice, String finish) {
    return "stop".equals(finish) && choice.path("stop_reason").isTextual() ? choice.get("stop_reason").asText() : null;
  }

  /**
   * Writes why an answer ended into its {@code choice}: {@code finish_reason} in OpenAI's words, and, only when there
   * is one, a paused turn's {@code native_finish_reason} and the stop sequence's {@code stop_reason}.
   */
  public static void finish(ObjectNode choice, String finishReason, String stopSequence) {
    choice.put("finish_reason", openAiFinish(finishReason));
    if (PAUSE_TURN.equals(finishReason)) {
      choice.put("native_finish_reason", PAUSE_TURN);
    }
    if (stopSequence != null) {
      choice.put("stop_reason", stopSequence);
    }
  }

  /** Reads a {@code chat.completion}; fails with UPSTREAM_INVALID_RESPONSE when it is not one. */
  public static Completion read(byte[] bytes) {
    JsonNode root = Json.parseOrNull(bytes);
    if (root == null) {
      throw invalid();
    }
    return read(root);
  }

  /** Reads a parsed {@code chat.completion}; its usage is null when the provider reported none. */
  public static Completion read(JsonNode root) {
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    if (!message.isObject()) {
      throw invalid();
    }
    JsonNode content = message.path("content");
    String text;
    if (content.isTextual()) {
      text = content.asText();
    } else if (content.isNull() || content.isMissingNode()) {
      text = null;
    } else if (content.isArray()) {
      text = textOfParts(content);
    } else {
      throw invalid();
    }
    JsonNode calls = message.path("tool_calls");
    String finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
    if ("stop".equals(finish) && PAUSE_TURN.equals(choice.path("native_finish_reason").asText(null))) {
      finish = PAUSE_TURN;
    }
    return new Completion(
        root.path("id").asText(""),
        root.path("model").asText(""),
        text,
        calls.isArray() && !calls.isEmpty() ? Optional.of(calls) : Optional.empty(),
        finish,
        usage(root.path("usage")),
        null,
        ReasoningJson.read(message),
        message.path("refusal").isTextual() ? message.get("refusal").asText() : null,
        stopSequence(choice, finish), ProtocolItems.read(message));
  }

  /** Returns the text parts of a content array joined (some providers answer with parts). */
  public static String textOfParts(JsonNode parts) {
    StringBuilder out = new StringBuilder();
    for (JsonNode part : parts) {
      if (part.path("type").asText().equals("text")) {
        out.append(part.path("text").asText(""));
      }
    }
    return out.toString();
  }

  /**
   * Reads OpenAI's {@code usage} object with its details ({@code prompt_tokens_details.cached_tokens},
   * cache writes ({@link #cacheWrites}) and {@code audio_tokens}, {@code completion_tokens_details.reasoning_tokens}
   * and {@code audio_tokens}); null when absent or incomplete.
   */
  public static Usage usage(JsonNode usage) {
    if (!usage.path("prompt_tokens").canConvertToLong() || !usage.path("completion_tokens").canConvertToLong()) {
      return null;
    }
    JsonNode prompt = usage.path("prompt_tokens_details");
    return Usage.reported(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong())
        .withCache(prompt.path("cached_tokens").asLong(0), cacheWrites(usage))
        .withReasoning(usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0))
        .withAudio(prompt.path("audio_tokens").asLong(0),
            usage.path("completion_tokens_details").path("audio_tokens").asLong(0));
  }

  /**
   * Returns the prompt tokens written to the cache: OpenRouter states them as {@code
   * prompt_tokens_details.cache_write_tokens}, LiteLLM as Anthropic's {@code cache_creation_input_tokens} and as
   * {@code prompt_tokens_details.cache_creation_tokens}; each names the same tokens, so the largest is taken.
   */
  private static long cacheWrites(JsonNode usage) {
    JsonNode prompt = usage.path("prompt_tokens_details");
    return Math.max(usage.path("cache_creation_input_tokens").asLong(0),
        Math.max(prompt.path("cache_write_tokens").asLong(0), prompt.path("cache_creation_tokens").asLong(0)));
  }

  /** Writes {@code result} as a {@code chat.completion} object. */
  public static ObjectNode write(Completion result, long createdEpochS) {
    ObjectNode root = ChatJson.object();
    root.put("id", result.id());
    root.put("object", "chat.completion");
    root.put("created", createdEpochS);
    root.put("model", result.model());
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", result.content());
    message.put("refusal", result.refusal());
    result.toolCalls().ifPresent(calls -> message.set("tool_calls", calls));
    ReasoningJson.write(result.reasoning(), message);
    ProtocolItems.write(result.items(), message);
    choice.putNull("logprobs");
    finish(choice, result.finishReason(), result.stopSequence());
    if (result.usage() != null) {
      root.set("usage", usage(result.usage()));
    }
    return root;
  }

  /**
   * Writes {@code usage} in OpenAI's shape; its details, where there are any, as OpenAI names them
   * ({@code prompt_tokens_details.cached_tokens} and {@code audio_tokens}, {@code completion_tokens_details
   * .reasoning_tokens} and {@code audio_tokens}), and cache writes as {@code prompt_tokens_details.cache_write_tokens} (OpenAI has none; OpenRouter's name).
   */
  public static ObjectNode usage(Usage usage) {
    ObjectNode out = ChatJson.object()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    if (usage.cacheReadTokens() > 0 || usage.cacheWriteTokens() > 0 || usage.audioPromptTokens() > 0) {
      ObjectNode prompt = out.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
      if (usage.cacheWriteTokens() > 0) {
        prompt.put("cache_write_tokens", usage.cacheWriteTokens());
      }
      if (usage.audioPromptTokens() > 0) {
        prompt.put("audio_tokens", usage.audioPromptTokens());
      }
    }
    if (usage.reasoningTokens() > 0 || usage.audioCompletionTokens() > 0) {
      ObjectNode completion = out.putObject("completion_tokens_details")
          .put("reasoning_tokens", usage.reasoningTokens());
      if (usage.audioCompletionTokens() > 0) {
        completion.put("audio_tokens", usage.audioCompletionTokens());
      }
    }
    return out;
  }

  public static Buffer bytes(JsonNode node) {
    return Json.write(out -> Json.MAPPER.writeTree(out, node));
  }

  static GatewayException invalid() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's answer could not be understood.");
  }
}
