package io.reliapi.testing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mock LLM providers: {@link Behavior}s that answer the way OpenAI, Anthropic and Mistral do on the wire,
 * with their bodies, SSE event formats, error bodies and rate-limit headers.
 */
public final class LlmBehaviors {
  public static final long CREATED = 1_764_244_800L;

  private LlmBehaviors() {}

  // ---- OpenAI ----------------------------------------------------------------------------------------

  public static Map<String, String> openAiHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("x-request-id", "req_7f3a9c");
    h.put("openai-organization", "org-secret-team");
    h.put("openai-processing-ms", "412");
    h.put("x-ratelimit-limit-requests", "10000");
    h.put("x-ratelimit-remaining-requests", "9999");
    h.put("x-ratelimit-reset-requests", "6ms");
    h.put("x-ratelimit-limit-tokens", "200000");
    h.put("x-ratelimit-remaining-tokens", "199990");
    h.put("x-ratelimit-reset-tokens", "3ms");
    h.put("Set-Cookie", "__cf_bm=abc; path=/; HttpOnly");
    return h;
  }

  public static String openAiCompletion(String model, String content, String finish, int prompt, int completion) {
    return """
        {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":%d,"model":"%s",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null,"annotations":[]},\
        "logprobs":null,"finish_reason":"%s"}],\
        "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,\
        "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
        "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,\
        "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_06737a9306"}"""
        .formatted(CREATED, model, content, finish, prompt, completion, prompt + completion);
  }

  public static Behavior openAi(String model, String content, int prompt, int completion) {
    return Behavior.respond(200, openAiHeaders(), openAiCompletion(model, content, "stop", prompt, completion));
  }

  public static Behavior openAiRateLimited() {
    Map<String, String> h = openAiHeaders();
    h.put("retry-after", "20");
    h.put("x-ratelimit-remaining-requests", "0");
    h.put("x-ratelimit-reset-requests", "20s");
    return Behavior.respond(429, h, """
        {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-secret-team on requests per min \
        (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.","type":"requests","param":null,\
        "code":"rate_limit_exceeded"}}""");
  }

  public static Behavior openAiUnauthorized() {
    return Behavior.respond(401, openAiHeaders(), """
        {"error":{"message":"Incorrect API key provided: sk-proj-****WXYZ. You can find your API key at \
        https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,\
        "code":"invalid_api_key"}}""");
  }

  /** The chunks of an OpenAI stream saying {@code pieces}, with the usage chunk and {@code [DONE]}. */
  public static List<String> openAiStreamEvents(String model, List<String> pieces, int prompt, int completion) {
    String head = "{\"id\":\"chatcmpl-stream1\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + model + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",";
    List<String> events = new ArrayList<>();
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (String piece : pieces) {
      events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece
          + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    events.add("data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
        + completion + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  /**
   * The chunks of an OpenAI stream calling the tool {@code name} (id {@code callId}) with its arguments sent in
   * {@code argumentPieces} (JSON-escaped text), finishing with {@code tool_calls}, the usage chunk and {@code [DONE]}.
   */
  public static List<String> openAiToolCallStreamEvents(String model, String callId, String name,
      List<String> argumentPieces, int prompt, int completion) {
    String head = "{\"id\":\"chatcmpl-tools1\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + model + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",";
    List<String> events = new ArrayList<>();
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"index\":0,\"id\":\"" + callId + "\",\"type\":\"function\",\"function\":{\"name\":\""
        + name + "\",\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (String piece : argumentPieces) {
      events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
          + "\"function\":{\"arguments\":\"" + piece + "\"}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
        + "\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n");
    events.add("data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
        + completion + ",\"total_tokens\":" + (prompt + completion) + "}}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  /**
   * A refusal as OpenAI answers one (structured outputs): {@code content} null and the model's words in
   * {@code refusal}, finishing with {@code stop}.
   */
  public static Behavior openAiRefusal(String model, String refusal) {
    return Behavior.respond(200, openAiHeaders(), openAiCompletion(model, "", "stop", 9, 7)
        .replace("\"content\":\"\",\"refusal\":null", "\"content\":null,\"refusal\":\"" + refusal + "\""));
  }

  /** The chunks of an OpenAI stream refusing in {@code pieces} (its {@code refusal} deltas), then usage and [DONE]. */
  public static List<String> openAiRefusalStreamEvents(String model, List<String> pieces) {
    List<String> events = new ArrayList<>(openAiStreamEvents(model, List.of(), 9, 7));
    for (int i = 0; i < pieces.size(); i++) {
      String text = openAiStreamEvents(model, List.of("@"), 9, 7).get(1)
          .replace("\"content\":\"@\"", "\"refusal\":\"" + pieces.get(i) + "\"");
      events.add(1 + i, text);
    }
    return events;
  }

  public static Map<String, String> sseHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/event-stream; charset=utf-8");
    h.put("x-ratelimit-remaining-requests", "9998");
    return h;
  }

  // ---- Anthropic -------------------------------------------------------------------------------------

  public static Map<String, String> anthropicHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
    h.put("anthropic-organization-id", "8a1c2b3d-secret");
    h.put("anthropic-ratelimit-requests-limit", "4000");
    h.put("anthropic-ratelimit-requests-remaining", "3999");
    h.put("anthropic-ratelimit-requests-reset", "2026-11-27T12:00:01Z");
    h.put("anthropic-ratelimit-input-tokens-limit", "400000");
    h.put("anthropic-ratelimit-input-tokens-remaining", "399000");
    return h;
  }

  public static String anthropicMessage(String model, String text, String stopReason, int input, int output) {
    return """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"%s",\
        "content":[{"type":"text","text":"%s"}],"stop_reason":"%s","stop_sequence":null,\
        "usage":{"input_tokens":%d,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,\
        "output_tokens":%d,"service_tier":"standard"}}""".formatted(model, text, stopReason, input, output);
  }

  public static Behavior anthropic(String model, String text, int input, int output) {
    return Behavior.respond(200, anthropicHeaders(), anthropicMessage(model, text, "end_turn", input, output));
  }

  public static Behavior anthropicError(int status, String type, String message, Map<String, String> extra) {
    Map<String, String> h = anthropicHeaders();
    h.putAll(extra);
    return Behavior.respond(status, h, "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\""
        + message + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fz\"}");
  }

  public static List<String> anthropicStreamEvents(String model, List<String> pieces, int input, int output) {
    List<String> events = new ArrayList<>();
    events.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
    events.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    events.add("event: ping\ndata: {\"type\": \"ping\"}\n\n");
    for (String piece : pieces) {
      events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}\n\n");
    }
    events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    events.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}\n\n");
    events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return events;
  }

  // ---- Mistral ---------------------------------------------------------------------------------------

  public static Map<String, String> mistralHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("mistral-correlation-id", "0195f3f5-secret");
    h.put("ratelimitbysize-limit", "500000");
    h.put("ratelimitbysize-remaining", "499950");
    h.put("ratelimitbysize-reset", "17");
    h.put("ratelimitbysize-query-cost", "50");
    h.put("x-ratelimitbysize-limit-minute", "500000");
    h.put("x-ratelimitbysize-remaining-minute", "499950");
    return h;
  }

  public static String mistralCompletion(String model, String contentJson, String finish, int prompt, int completion) {
    return """
        {"id":"cmpl-e5cc70bb28c444948073e77776eb30ef","object":"chat.completion","model":"%s",\
        "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},"created":%d,\
        "choices":[{"index":0,"message":{"content":%s,"tool_calls":null,"prefix":false,"role":"assistant"},\
        "finish_reason":"%s"}]}""".formatted(model, prompt, completion, prompt + completion, CREATED, contentJson, finish);
  }

  public static Behavior mistralRateLimited() {
    Map<String, String> h = mistralHeaders();
    h.put("ratelimitbysize-remaining", "0");
    h.put("ratelimitbysize-reset", "7");
    return Behavior.respond(429, h, "{\"message\":\"Requests rate limit exceeded\"}");
  }

  public static Behavior mistralExtraForbidden(String field) {
    return Behavior.respond(422, mistralHeaders(), "{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":"
        + "\"extra_forbidden\",\"loc\":[\"body\",\"" + field + "\"],\"msg\":\"Extra inputs are not permitted\","
        + "\"input\":true}]},\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}");
  }

  public static List<String> mistralStreamEvents(String model, List<String> pieces, int prompt, int completion) {
    String head = "{\"id\":\"cmpl-7c1b\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + model + "\",";
    List<String> events = new ArrayList<>();
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":null}]}\n\n");
    for (String piece : pieces) {
      events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},"
          + "\"finish_reason\":null}]}\n\n");
    }
    events.add("data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + (prompt + completion)
        + ",\"completion_tokens\":" + completion + "}}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  // ---- Streams that go wrong -------------------------------------------------------------------------

  /** Sends {@code events}, {@code gapMs} apart, and ends the response. */
  public static Behavior sse(List<String> events, long gapMs) {
    return Behavior.chunks(sseHeaders(), events, gapMs);
  }

  /** Sends {@code events} then closes the connection without ending the response. */
  public static Behavior sseThenReset(List<String> events, long gapMs) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      sseHeaders().forEach(response::putHeader);
      writeThen(call, response, events, 0, gapMs, () -> call.request().connection().close());
    };
  }

  /** Sends {@code events} then goes silent with the connection open. */
  public static Behavior sseThenSilence(List<String> events, long gapMs) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      sseHeaders().forEach(response::putHeader);
      writeThen(call, response, events, 0, gapMs, () -> { });
    };
  }

  /**
   * Sends {@code first}, then waits until {@code gate} completes (the test lets the provider go on), then sends
   * {@code rest} and ends the response, or closes the connection instead of ending it when {@code cut}.
   */
  public static Behavior sseGated(List<String> first, CompletableFuture<Void> gate, List<String> rest, boolean cut) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      sseHeaders().forEach(response::putHeader);
      Context context = Vertx.currentContext();
      first.forEach(response::write);
      gate.thenRun(() -> context.runOnContext(v -> writeThen(call, response, rest, 0, 1,
          cut ? () -> call.request().connection().close() : response::end)));
    };
  }

  /** Sends a text chunk every {@code gapMs} forever; sets {@code closed} when the gateway hangs up. */
  public static Behavior endlessOpenAiStream(AtomicBoolean closed, long gapMs) {
    return endlessOpenAiStream(closed, new AtomicInteger(), gapMs);
  }

  /** As {@link #endlessOpenAiStream(AtomicBoolean, long)}, counting in {@code written} the ticks written. */
  public static Behavior endlessOpenAiStream(AtomicBoolean closed, AtomicInteger written,
      long gapMs) {
    return call -> {
      HttpServerResponse response = call.request().response().setChunked(true);
      sseHeaders().forEach(response::putHeader);
      response.closeHandler(v -> closed.set(true));
      String first = openAiStreamEvents("gpt-4o-mini", List.of(), 1, 1).get(0);
      String piece = openAiStreamEvents("gpt-4o-mini", List.of("tick "), 1, 1).get(1);
      response.write(first);
      long timer = call.vertx().setPeriodic(gapMs, id -> {
        if (closed.get()) {
          call.vertx().cancelTimer(id);
        } else {
          response.write(piece);
          written.incrementAndGet();
        }
      });
      response.exceptionHandler(e -> {
        closed.set(true);
        call.vertx().cancelTimer(timer);
      });
    };
  }

  private static void writeThen(MockUpstream.Call call, HttpServerResponse response, List<String> events, int index,
      long gapMs, Runnable then) {
    if (index == events.size()) {
      then.run();
      return;
    }
    response.write(events.get(index));
    call.vertx().setTimer(Math.max(1, gapMs), t -> writeThen(call, response, events, index + 1, gapMs, then));
  }
}
