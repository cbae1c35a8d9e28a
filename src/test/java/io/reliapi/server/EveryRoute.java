package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.EmbeddingBehaviors;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestHttp.Res;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Every proxy route of the gateway as one row of the guarantee matrix ({@code docs/guarantees.md}): how to call it
 * for a target, where that call reaches the mock upstream, and how to read the gateway's error code out of the
 * route's own error shape. A target {@code T} of the matrix tests has {@code base_url: <mock>/T/v1} when it is an
 * LLM target and {@code <mock>/T} otherwise; {@link #serve} makes the mock answer every route for it.
 */
enum EveryRoute {
  PASS_THROUGH(Shape.PROBLEM, Kind.HTTP, false, "/t/%s/orders", "{\"sku\": \"a-1\", \"n\": 2}"),
  PROXY_HTTP(Shape.ENVELOPE, Kind.HTTP, false, "/proxy/http",
      "{\"target\": \"%s\", \"method\": \"POST\", \"path\": \"/orders\", \"body\": {\"sku\": \"a-1\", \"n\": 2}}"),
  RAW_CHAT(Shape.PROBLEM, Kind.CHAT, false, "/t/%s/chat/completions",
      "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  RAW_CHAT_STREAM(Shape.PROBLEM, Kind.CHAT, true, "/t/%s/chat/completions",
      "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 100, \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  PROXY_LLM(Shape.ENVELOPE, Kind.CHAT, false, "/proxy/llm",
      "{\"target\": \"%s\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  PROXY_LLM_STREAM(Shape.ENVELOPE, Kind.CHAT, true, "/proxy/llm",
      "{\"target\": \"%s\", \"max_tokens\": 100, \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  CHAT_COMPLETIONS(Shape.OPENAI, Kind.CHAT, false, "/v1/chat/completions",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  CHAT_COMPLETIONS_STREAM(Shape.OPENAI, Kind.CHAT, true, "/v1/chat/completions",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_tokens\": 100, \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  RESPONSES(Shape.OPENAI, Kind.CHAT, false, "/v1/responses",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_output_tokens\": 100, \"input\": \"Hello\"}"),
  RESPONSES_STREAM(Shape.OPENAI, Kind.CHAT, true, "/v1/responses",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_output_tokens\": 100, \"stream\": true, \"input\": \"Hello\"}"),
  MESSAGES(Shape.ANTHROPIC, Kind.CHAT, false, "/v1/messages",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  MESSAGES_STREAM(Shape.ANTHROPIC, Kind.CHAT, true, "/v1/messages",
      "{\"model\": \"%s/gpt-4o-mini\", \"max_tokens\": 100, \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  COUNT_TOKENS(Shape.ANTHROPIC, Kind.COUNT, false, "/v1/messages/count_tokens",
      "{\"model\": \"%s/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"),
  EMBEDDINGS(Shape.OPENAI, Kind.EMBEDDING, false, "/v1/embeddings",
      "{\"model\": \"%s/text-embedding-3-small\", \"input\": \"Hello\"}"),
  MODELS(Shape.OPENAI, Kind.NONE, false, "/v1/models", null);

  /**
   * OpenAI's headers, its {@code Set-Cookie} too: the raw chat route drops the provider's cookies (an answer with
   * one would never be cached).
   */
  private static final Map<String, String> WHOLE_HEADERS = LlmBehaviors.openAiHeaders();

  /** The error shape of a route (SPEC §4). */
  enum Shape { PROBLEM, ENVELOPE, OPENAI, ANTHROPIC }

  /** What a call of the route makes of the upstream: nothing, a plain HTTP call, a chat, an embedding, a count. */
  enum Kind { NONE, HTTP, CHAT, EMBEDDING, COUNT }

  final Shape shape;
  final Kind kind;
  final boolean stream;
  private final String path;
  private final String body;

  EveryRoute(Shape shape, Kind kind, boolean stream, String path, String body) {
    this.shape = shape;
    this.kind = kind;
    this.stream = stream;
    this.path = path;
    this.body = body;
  }

  /** The routes that make a chat or embedding call a provider bills. */
  static List<EveryRoute> billed() {
    return Arrays.stream(values()).filter(r -> r.kind == Kind.CHAT || r.kind == Kind.EMBEDDING).toList();
  }

  /** The chat routes, whole and streamed (an output limit and a soft cap apply). */
  static List<EveryRoute> chats() {
    return Arrays.stream(values()).filter(r -> r.kind == Kind.CHAT).toList();
  }

  /** The routes whose calls reach an upstream (every route but the model list and token counts). */
  static List<EveryRoute> upstreamed() {
    return Arrays.stream(values()).filter(r -> r.kind == Kind.HTTP || r.kind == Kind.CHAT || r.kind == Kind.EMBEDDING)
        .toList();
  }

  /** The routes that run the pipeline (every route but the model list). */
  static List<EveryRoute> piped() {
    return Arrays.stream(values()).filter(r -> r.kind != Kind.NONE).toList();
  }

  /**
   * The target this route calls for the matrix target {@code name}: the plain HTTP routes need a target without
   * {@code llm} (an LLM target takes only chat calls on them), named {@code <name>_http} by {@link #targets}.
   */
  String target(String name) {
    return kind == Kind.HTTP ? name + "_http" : name;
  }

  /**
   * YAML for the matrix target {@code name}: an OpenAI-protocol LLM target at {@code <mock>/name/v1} and its plain
   * twin {@code name_http} at {@code <mock>/name_http}, both with {@code extras} (YAML lines of a target block, in
   * which {@code {twin}} stands for {@code _http} in the twin and for nothing in the LLM target), the LLM one also
   * with {@code llm} (members of its {@code llm} block beside provider and default model).
   */
  static String targets(String mockBase, String name, String extras, String llm) {
    String llmBlock = "llm: {provider: openai, default_model: gpt-4o-mini" + (llm.isEmpty() ? "" : ", " + llm) + "}\n";
    String chat = "base_url: \"" + mockBase + "/" + name + "/v1\"\n" + llmBlock + extras.replace("{twin}", "");
    String plain = "base_url: \"" + mockBase + "/" + name + "_http\"\n" + extras.replace("{twin}", "_http");
    return (name + ":\n" + chat.indent(2) + name + "_http:\n" + plain.indent(2)).indent(2);
  }

  /** The route's request path for the matrix target {@code name}. */
  String path(String name) {
    return path.contains("%s") ? path.formatted(target(name)) : path;
  }

  /** The route's request body for the matrix target {@code name}; {@code variant} changes the prompt (or order). */
  String body(String name, boolean variant) {
    String text = body.formatted(target(name));
    return variant ? text.replace("Hello", "Hello again").replace("\"n\": 2", "\"n\": 3") : text;
  }

  /** Calls the route for the matrix target {@code name} with {@code headers}. */
  Res call(TestHttp http, String name, String... headers) {
    return body == null ? http.get(path(name), headers) : http.post(path(name), body(name, false), headers);
  }

  /** Calls the route for the matrix target {@code name} with the changed body. */
  Res callVariant(TestHttp http, String name, String... headers) {
    return http.post(path(name), body(name, true), headers);
  }

  CompletableFuture<Res> callAsync(TestHttp http, String name, String... headers) {
    return body == null ? http.getAsync(path(name), headers) : http.postAsync(path(name), body(name, false), headers);
  }

  /**
   * The path at which a call of this route for the matrix target {@code target} reaches the mock upstream; null if
   * none does.
   */
  String upstreamPath(String target) {
    return switch (kind) {
      case HTTP -> "/" + target + "_http/orders";
      case CHAT -> "/" + target + "/v1/chat/completions";
      case EMBEDDING -> "/" + target + "/v1/embeddings";
      case COUNT, NONE -> null;
    };
  }

  /** The gateway's error code in the route's error shape. */
  /** Asserts that {@code r} is this route's error answer with {@code status} and the gateway error {@code code}. */
  void assertRefused(Res r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(code(r)).isEqualTo(code);
  }

  String code(Res r) {
    JsonNode json = r.json();
    return switch (shape) {
      case PROBLEM -> json.get("code").asText();
      case ENVELOPE, OPENAI -> json.get("error").get("code").asText();
      case ANTHROPIC -> json.get("error").get("details").get("error_code").asText();
    };
  }

  /**
   * Whether the answer is a complete success: 200 (201 for the order the plain HTTP routes place) and, for a stream,
   * its normal end in the route's protocol.
   */
  boolean completed(Res r) {
    if (r.status() != (kind == Kind.HTTP ? 201 : 200)) {
      return false;
    }
    if (!stream) {
      return true;
    }
    return switch (this) {
      case RAW_CHAT_STREAM, CHAT_COMPLETIONS_STREAM -> r.body().contains("data: [DONE]");
      case PROXY_LLM_STREAM -> r.body().contains("event: done");
      case RESPONSES_STREAM -> r.body().contains("event: response.completed");
      case MESSAGES_STREAM -> r.body().contains("event: message_stop");
      default -> false;
    };
  }

  /**
   * Makes the mock answer every route for {@code target}: orders with {@code 201 {"order": 7}}, chats (whole or
   * streamed, as the request asks) with "Hi!" on gpt-4o-mini for 8 prompt and 2 completion tokens, embeddings with
   * one vector; each answer after {@code delayMs}.
   */
  static void serve(MockUpstream up, String target, long delayMs) {
    up.otherwise("POST /" + target + "_http/orders", Behavior.delayed(delayMs, PASS_THROUGH.answer()));
    up.otherwise("POST /" + target + "/v1/chat/completions", Behavior.delayed(delayMs, RAW_CHAT.answer()));
    up.otherwise("POST /" + target + "/v1/embeddings", Behavior.delayed(delayMs, EMBEDDINGS.answer()));
  }

  /**
   * Makes the mock hold every call of every route for each of {@code targets} unanswered, in {@code held}, until the
   * test answers it ({@code route.answer().respond(call)}) or lets it go ({@link #letGo}).
   */
  static void hold(MockUpstream up, Queue<MockUpstream.Call> held, String... targets) {
    for (String target : targets) {
      up.otherwise("POST /" + target + "_http/orders", held::add);
      up.otherwise("POST /" + target + "/v1/chat/completions", held::add);
      up.otherwise("POST /" + target + "/v1/embeddings", held::add);
    }
  }

  /** Closes the connections of the calls still held, so no test leaves one hanging for the next. */
  static void letGo(Queue<MockUpstream.Call> held) {
    held.forEach(call -> call.request().connection().close());
  }

  /** What the mock answers a call of this route with at once (see {@link #serve}); null when none reaches it. */
  Behavior answer() {
    return switch (kind) {
      case HTTP -> Behavior.json(201, "{\"order\": 7}");
      case CHAT -> call -> {
        JsonNode sent = Json.parseOrNull(call.recorded().body().getBytes());
        (sent != null && sent.path("stream").asBoolean()
            ? LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2), 1)
            : Behavior.respond(200, WHOLE_HEADERS, LlmBehaviors.openAiCompletion("gpt-4o-mini", "Hi!", "stop", 8, 2)))
            .respond(call);
      };
      case EMBEDDING -> EmbeddingBehaviors.openAi("text-embedding-3-small", 4, 1);
      case COUNT, NONE -> null;
    };
  }
}
