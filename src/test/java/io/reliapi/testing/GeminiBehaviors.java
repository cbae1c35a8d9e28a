package io.reliapi.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mock Gemini API ({@code v1beta}): {@code generateContent} answers, {@code streamGenerateContent?alt=sse}
 * events framed by CRLF blank lines with no end marker (the last chunk carries {@code finishReason} and the full
 * usage metadata), and its error bodies.
 */
public final class GeminiBehaviors {
  public static final String RESPONSE_ID = "tTCwacuEBMvnitYP06qsgQY";

  private GeminiBehaviors() {}

  public static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json; charset=UTF-8");
    h.put("x-gemini-service-tier", "standard");
    h.put("server-timing", "gfet4t7; dur=412");
    return h;
  }

  public static String usage(int prompt, int candidates, int thoughts, int cached) {
    return "{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":" + candidates
        + ",\"thoughtsTokenCount\":" + thoughts + ",\"cachedContentTokenCount\":" + cached
        + ",\"totalTokenCount\":" + (prompt + candidates + thoughts)
        + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":" + prompt + "}]}";
  }

  /**
   * Usage of {@code prompt} tokens, {@code audioIn} of them audio, and {@code candidates} tokens, {@code audioOut} of
   * them audio, with the per-modality details Gemini reports (a modality without tokens is left out, as Gemini does).
   */
  public static String audioUsage(int prompt, int audioIn, int candidates, int audioOut) {
    return "{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":" + candidates
        + ",\"totalTokenCount\":" + (prompt + candidates)
        + ",\"promptTokensDetails\":" + details(prompt - audioIn, audioIn)
        + ",\"candidatesTokensDetails\":" + details(candidates - audioOut, audioOut) + "}";
  }

  private static String details(int text, int audio) {
    List<String> entries = new ArrayList<>();
    if (text > 0) {
      entries.add("{\"modality\":\"TEXT\",\"tokenCount\":" + text + "}");
    }
    if (audio > 0) {
      entries.add("{\"modality\":\"AUDIO\",\"tokenCount\":" + audio + "}");
    }
    return "[" + String.join(",", entries) + "]";
  }

  /** A whole answer whose one candidate has {@code partsJson} and ended for {@code finishReason}. */
  public static String answer(String model, String partsJson, String finishReason, String usageJson) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + partsJson + "},\"finishReason\":\""
        + finishReason + "\",\"index\":0,\"safetyRatings\":[]}],\"usageMetadata\":" + usageJson
        + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"" + RESPONSE_ID + "\"}";
  }

  public static Behavior text(String model, String text, int prompt, int candidates) {
    return Behavior.respond(200, headers(), answer(model, "[{\"text\":\"" + text + "\"}]", "STOP",
        usage(prompt, candidates, 0, 0)));
  }

  /** A whole answer of {@code text} to a prompt of {@code prompt} tokens, {@code audioIn} of them audio. */
  public static Behavior audio(String model, String text, int prompt, int audioIn, int candidates) {
    return Behavior.respond(200, headers(), answer(model, "[{\"text\":\"" + text + "\"}]", "STOP",
        audioUsage(prompt, audioIn, candidates, 0)));
  }

  /** The events of a stream saying {@code pieces}; the last carries the finish reason and the usage. */
  public static List<String> streamEvents(String model, List<String> pieces, int prompt, int candidates) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      events.add("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + pieces.get(i)
          + "\"}]}" + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":"
          + (last ? usage(prompt, candidates, 0, 0) : "{\"promptTokenCount\":" + prompt + ",\"totalTokenCount\":"
          + prompt + "}") + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"" + RESPONSE_ID + "\"}\r\n\r\n");
    }
    return events;
  }

  public static Map<String, String> sseHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/event-stream");
    h.put("x-gemini-service-tier", "standard");
    return h;
  }

  public static Behavior sse(List<String> events, long gapMs) {
    return Behavior.chunks(sseHeaders(), events, gapMs);
  }

  public static Behavior error(int status, String grpcStatus, String reason, String message) {
    String details = reason == null ? "" : ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
        + "\"reason\":\"" + reason + "\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
        + "\"generativelanguage.googleapis.com\"}}]";
    return Behavior.respond(status, headers(), "{\"error\":{\"code\":" + status + ",\"message\":\"" + message
        + "\",\"status\":\"" + grpcStatus + "\"" + details + "}}");
  }
}
