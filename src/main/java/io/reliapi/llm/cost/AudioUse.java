package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Where a chat request asks the provider for audio, which it bills at the model's audio prices, several times its
 * text prices (docs/guides/budget-control.md, "Audio"). {@code input} names the first audio the prompt carries: an
 * {@code input_audio} part, or Gemini inline data of an {@code audio/} type. {@code output} names the field asking
 * for a spoken answer: chat's {@code modalities} with {@code audio} or an {@code audio} field, Gemini's
 * {@code responseModalities} with {@code AUDIO} or a {@code speechConfig}. Pure.
 */
public record AudioUse(Optional<String> input, Optional<String> output) {
  public static final AudioUse NONE = new AudioUse(Optional.empty(), Optional.empty());
  private static final List<String> INLINE = List.of("inlineData", "inline_data");

  /** Returns the audio {@code request} asks for from a provider speaking {@code target}. */
  public static AudioUse of(ChatRequest request, WireProtocol target) {
    return new AudioUse(inputField(request), spoken(request, target).output());
  }

  /**
   * Returns the spoken answer {@code request} asks for from a provider speaking {@code target}, not looking for
   * audio input: a few lookups of top-level fields, where finding audio input walks the whole prompt.
   */
  public static AudioUse spoken(ChatRequest request, WireProtocol target) {
    Optional<String> output = request.nativeBody()
        .flatMap(body -> outputField(body.body(), body.protocol(), ""))
        .or(() -> request.nativeBody().isPresent() ? Optional.empty()
            : outputField(request.options(), WireProtocol.OPENAI_CHAT, ""))
        .or(() -> outputField(request.extra(), target, "extra."));
    return new AudioUse(Optional.empty(), output);
  }

  /**
   * Returns {@code price} as an estimate bounds it: output at the audio output price when a spoken answer is asked
   * for, never below the text output price. A price without an audio output price stays as it is. (Audio input is
   * bounded apart, by {@link #inputSurchargeUsd}.)
   */
  public ModelPrice bound(ModelPrice price) {
    double out = output.isPresent() ? Math.max(price.outputPer1m(), price.outputAudioOrOutput()) : price.outputPer1m();
    return out == price.outputPer1m() ? price
        : new ModelPrice(price.inputPer1m(), out, price.cacheReadPer1m(), price.cacheWritePer1m(),
            price.reasoningPer1m(), price.maxInputTokens(), price.inputAudioPer1m(), price.outputAudioPer1m());
  }

  /** Returns whether the estimate adds a surcharge for audio input at {@code price}: the audio is dearer than text. */
  public boolean surcharged(ModelPrice price) {
    return input.isPresent() && price.inputAudioOrInput() > price.inputPer1m();
  }

  /**
   * Returns what {@code dataTokens} of audio data ({@link #dataTokens}) cost above the input price they are counted
   * at in the prompt: with it, they are priced at the audio input price. The provider bills far fewer audio tokens
   * than the base64 of the audio counts (about ten a second against some 900 for an mp3 at 8 kbit/s, the least
   * data a second of audio OpenAI's chat takes), so the estimate stays an upper bound, and text stays at its price.
   * The caller bounds {@code dataTokens} by the model's context window, the most audio tokens a call is billed for.
   */
  public static BigDecimal inputSurchargeUsd(long dataTokens, ModelPrice price) {
    return Costs.usd(dataTokens, 0, new ModelPrice(price.inputAudioOrInput(), 0))
        .subtract(Costs.usd(dataTokens, 0, new ModelPrice(price.inputPer1m(), 0))).max(BigDecimal.ZERO);
  }

  /**
   * Counts, as {@code counter} counts text for the request's model, the audio data the prompt of {@code request}
   * carries: the base64 {@code data} of its {@code input_audio} parts and of audio inline data, wherever
   * {@link #input} finds them. Megabytes of audio take a while: run it off the event loop.
   */
  public static long dataTokens(ChatRequest request, TokenCounter counter) {
    long tokens = 0;
    for (ChatMessage message : request.messages()) {
      if (message.content().orElse(null) instanceof Content.Parts parts) {
        for (ContentPart part : parts.parts()) {
          tokens += part instanceof ContentPart.Other other ? dataTokens(other.raw(), request.model(), counter) : 0;
        }
      }
      tokens += dataTokens(message.fields(), request.model(), counter);
    }
    return tokens + dataTokens(request.extra(), request.model(), counter);
  }

  private static long dataTokens(JsonNode node, String model, TokenCounter counter) {
    if (node == null || !node.isContainerNode()) {
      return 0;
    }
    if (node.isObject() && node.path("type").asText("").equals("input_audio")) {
      return counter.textTokens(model, node.path("input_audio").path("data").asText(""));
    }
    long tokens = 0;
    for (String name : INLINE) {
      JsonNode data = node.path(name);
      if (audioType(data)) {
        tokens += counter.textTokens(model, data.path("data").asText(""));
      }
    }
    for (JsonNode child : node) {
      tokens += dataTokens(child, model, counter);
    }
    return tokens;
  }

  /**
   * Returns the audio {@code price} has no audio price for (no price at all counts as none), as a fee the
   * gateway cannot bound: audio input first, then a spoken answer; empty when every audio used is priced.
   */
  public Optional<ToolFees.Unbounded> unpriced(Optional<ModelPrice> price) {
    if (input.isPresent() && price.flatMap(ModelPrice::inputAudioPer1m).isEmpty()) {
      return Optional.of(new ToolFees.Unbounded(input.get(), "audio input",
          "billed at the model's audio input price, several times its text price, which the price table does not have"));
    }
    if (output.isPresent() && price.flatMap(ModelPrice::outputAudioPer1m).isEmpty()) {
      return Optional.of(new ToolFees.Unbounded(output.get(), "audio output",
          "billed at the model's audio price, several times its text price, which the price table does not have"));
    }
    return Optional.empty();
  }

  /** Returns where the prompt of {@code request} first carries audio: a message's part, its other members, extra. */
  private static Optional<String> inputField(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      if (message.content().orElse(null) instanceof Content.Parts parts) {
        for (int j = 0; j < parts.parts().size(); j++) {
          if (parts.parts().get(j) instanceof ContentPart.Other other && holdsAudio(other.raw())) {
            return Optional.of("messages[" + i + "].content[" + j + "]");
          }
        }
      }
      if (holdsAudio(message.fields())) {
        return Optional.of("messages[" + i + "]");
      }
    }
    return holdsAudio(request.extra()) ? Optional.of("extra") : Optional.empty();
  }

  /** Returns whether {@code node} is or holds, at any depth, an audio input the provider bills as audio. */
  static boolean holdsAudio(JsonNode node) {
    if (node == null || !node.isContainerNode()) {
      return false;
    }
    if (node.isObject() && (node.path("type").asText("").equals("input_audio") || inlineAudio(node))) {
      return true;
    }
    for (JsonNode child : node) {
      if (holdsAudio(child)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inlineAudio(JsonNode node) {
    return audioType(node.path(INLINE.get(0))) || audioType(node.path(INLINE.get(1)));
  }

  /** Returns whether {@code data}, Gemini inline data, is of an {@code audio/} type. */
  private static boolean audioType(JsonNode data) {
    String type = data.path("mimeType").asText(data.path("mime_type").asText(""));
    return type.regionMatches(true, 0, "audio/", 0, 6);
  }

  /** Returns the field of {@code body} that asks for a spoken answer: chat's {@code modalities}, Gemini's in its config. */
  private static Optional<String> outputField(JsonNode body, WireProtocol protocol, String prefix) {
    if (body == null) {
      return Optional.empty();
    }
    if (protocol == WireProtocol.OPENAI_CHAT) {
      return asksForAudio(body.get("modalities")) ? Optional.of(prefix + "modalities")
          : given(body.get("audio")) ? Optional.of(prefix + "audio") : Optional.empty();
    }
    if (protocol == WireProtocol.GEMINI_GENERATE_CONTENT) {
      for (String config : List.of("generationConfig", "generation_config")) {
        for (String field : List.of("responseModalities", "response_modalities", "speechConfig", "speech_config")) {
          JsonNode node = body.path(config).get(field);
          if (field.startsWith("speech") ? given(node) : asksForAudio(node)) {
            return Optional.of(prefix + config + "." + field);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean asksForAudio(JsonNode modalities) {
    if (modalities != null && modalities.isArray()) {
      for (JsonNode modality : modalities) {
        if (modality.asText("").trim().equalsIgnoreCase("audio")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean given(JsonNode node) {
    return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
  }
}
