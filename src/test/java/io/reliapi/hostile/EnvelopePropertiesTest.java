package io.reliapi.hostile;

import static io.reliapi.hostile.JsonArbitraries.fields;
import static io.reliapi.hostile.JsonArbitraries.quote;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile request bodies on the three JSON routes: any JSON shape, wrong types, numbers beyond every limit,
 * deep nesting, any Unicode, bytes that are not UTF-8. Every one gets the upstream's answer or a SPEC error
 * in the route's shape, in time, with nothing leaked.
 */
class EnvelopePropertiesTest {
  static HostileGateway gw;

  @BeforeContainer
  static void start() {
    gw = HostileGateway.start();
  }

  @AfterContainer
  static void stop() {
    try {
      gw.assertLogsSafe();
    } finally {
      gw.close();
    }
  }

  @Property(tries = 100)
  void proxyHttpAnswersAnyBodyWithTheUpstreamsAnswerOrASpecError(@ForAll("proxyHttpBodies") byte[] body) {
    RawClient.Answer answer = gw.post("/proxy/http", body, Map.of());
    gw.assertSafe(answer);
    Shapes.envelope(answer);
    gw.assertLogsSafe();
  }

  @Property(tries = 100)
  void proxyLlmAnswersAnyBodyWithACompletionOrASpecError(@ForAll("proxyLlmBodies") byte[] body) {
    RawClient.Answer answer = gw.post("/proxy/llm", body, Map.of());
    gw.assertSafe(answer);
    Shapes.envelope(answer);
    gw.assertLogsSafe();
  }

  @Property(tries = 100)
  void openAiRouteAnswersAnyBodyWithACompletionOrAnOpenAiError(@ForAll("openAiBodies") byte[] body) {
    RawClient.Answer answer = gw.post("/v1/chat/completions", body, Map.of());
    gw.assertSafe(answer);
    Shapes.openAi(answer);
    gw.assertLogsSafe();
  }

  @Property(tries = 24)
  void deeplyNestedBodiesAreRefusedOrServedOnEveryRoute(@ForAll("nested") String nested,
      @ForAll("jsonRoutes") String route) {
    String body = switch (route) {
      case "/proxy/http" -> "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/x\", \"body\": " + nested + "}";
      case "/proxy/llm" -> "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
          + "\"extra\": {\"metadata\": " + nested + "}}";
      default -> "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": " + nested + "}]}";
    };
    RawClient.Answer answer = gw.post(route, body.getBytes(StandardCharsets.UTF_8), Map.of());
    gw.assertSafe(answer);
    if (route.startsWith("/v1")) {
      Shapes.openAi(answer);
    } else {
      Shapes.envelope(answer);
    }
    gw.assertLogsSafe();
  }

  @Example
  void aBodyThatIsNotUtf8IsAnInvalidRequest() {
    byte[] body = "{\"target\": \"api\", \"method\": \"GET\", \"path\": \"/\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    RawClient.Answer answer = gw.post("/proxy/http", body, Map.of());
    gw.assertSafe(answer);
    Shapes.envelope(answer);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(Shapes.json(answer).path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");
  }

  @Example
  void aBodyOverTheLimitIsPayloadTooLargeOnEveryRoute() {
    byte[] body = ("{\"x\": \"" + "a".repeat(HostileGateway.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    for (String route : new String[] {"/proxy/http", "/proxy/llm", "/v1/chat/completions"}) {
      RawClient.Answer answer = gw.post(route, body, Map.of());
      gw.assertSafe(answer);
      assertThat(answer.status()).isEqualTo(413);
    }
  }

  @Provide
  Arbitrary<String> jsonRoutes() {
    return Arbitraries.of("/proxy/http", "/proxy/llm", "/v1/chat/completions");
  }

  @Provide
  Arbitrary<String> nested() {
    return JsonArbitraries.deepNesting();
  }

  @Provide
  Arbitrary<byte[]> proxyHttpBodies() {
    Arbitrary<String> envelope = JsonArbitraries.envelope(fields(
        "target", Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("api")),
            Tuple.of(1, Arbitraries.of("openai", "nope", ""))).map(JsonArbitraries::quote),
        "method", Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("GET", "post", "PUT", "DELETE", "HEAD", "OPTIONS",
            "PATCH")), Tuple.of(1, Arbitraries.of("TRACE", "CONNECT", "G ET", "get\u0000"))).map(JsonArbitraries::quote),
        "path", Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("/", "/x", "/a/b?c=d", "/caf\u00e9?q=\u00fc")),
            Tuple.of(1, Arbitraries.of("/%2e%2e/x", "//host/x", "http://h/x", "x", "/a/..;/b", "/a\\b")),
            Tuple.of(2, Arbitraries.strings().withChars("/a.%2eE5cC\\;?#&=é ").ofMaxLength(16).map(p -> "/" + p)))
            .map(JsonArbitraries::quote),
        "query", Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("{\"a\": \"1\", \"b\": [\"2\", \"3\"]}",
            "{\"q\": \"caf\u00e9 & =?/#%\"}", "{}")), Tuple.of(1, JsonArbitraries.values(2))),
        "headers", headerObjects(),
        "body", JsonArbitraries.values(3),
        "body_base64", Arbitraries.of("aGVsbG8=", "!!!", "aGVsbG8", " aGVs bG8= ").map(JsonArbitraries::quote),
        "idempotency_key", keys(),
        "cache", valid("0", "1", "60"),
        "timeout_ms", Arbitraries.integers().between(200, 5000).map(String::valueOf)), "target", "method", "path");
    return JsonArbitraries.bytesOf(Arbitraries.frequencyOf(
        Tuple.of(8, envelope), Tuple.of(1, JsonArbitraries.values(3))));
  }

  @Provide
  Arbitrary<byte[]> proxyLlmBodies() {
    Arbitrary<String> envelope = JsonArbitraries.envelope(fields(
        "target", Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("openai", "claude")),
            Tuple.of(1, Arbitraries.of("api", "nope"))).map(JsonArbitraries::quote),
        "messages", messages(),
        "model", models(),
        "max_tokens", valid("1", "16", "64", "1000"),
        "temperature", valid("0", "0.5", "2"),
        "top_p", valid("0.1", "1"),
        "stop", valid("\"x\"", "[\"a\", \"b\"]"),
        "idempotency_key", keys(),
        "cache", valid("0", "1", "60"),
        "extra", JsonArbitraries.values(3).map(v -> "{\"metadata\": " + v + "}")), "target", "messages");
    return JsonArbitraries.bytesOf(Arbitraries.frequencyOf(
        Tuple.of(8, envelope), Tuple.of(1, JsonArbitraries.values(3))));
  }

  @Provide
  Arbitrary<byte[]> openAiBodies() {
    Arbitrary<String> envelope = JsonArbitraries.envelope(fields(
        "model", models(),
        "messages", messages(),
        "max_tokens", valid("1", "16", "64", "1000"),
        "max_completion_tokens", valid("1", "16", "64"),
        "temperature", valid("0", "0.5", "2"),
        "n", valid("1"),
        "stop", valid("\"x\"", "[\"a\", \"b\"]"),
        "tools", Arbitraries.oneOf(Arbitraries.just("[{\"type\": \"function\", \"function\": {\"name\": \"f\", "
            + "\"parameters\": {\"type\": \"object\"}}}]"), JsonArbitraries.values(3)),
        "response_format", valid("{\"type\": \"json_object\"}", "{\"type\": \"text\"}"),
        "user", JsonArbitraries.strings()), "model", "messages");
    return JsonArbitraries.bytesOf(Arbitraries.frequencyOf(
        Tuple.of(8, envelope), Tuple.of(1, JsonArbitraries.values(3))));
  }

  /** One of the valid JSON texts given, or now and then any number or value (the field's wrong cases). */
  static Arbitrary<String> valid(String... texts) {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(texts)), Tuple.of(1, JsonArbitraries.numbers()),
        Tuple.of(1, JsonArbitraries.values(1)));
  }

  /** Idempotency keys: mostly well formed (visible ASCII), sometimes anything. */
  static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(24).map(JsonArbitraries::quote)),
        Tuple.of(1, JsonArbitraries.strings()));
  }

  static Arbitrary<String> models() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("gpt-4o-mini", "openai/gpt-4o-mini",
        "claude/claude-haiku-4-5", "claude-haiku-4-5").map(JsonArbitraries::quote)),
        Tuple.of(1, Arbitraries.of("claude/", "/", "nope/x", "", "gpt-unpriced").map(JsonArbitraries::quote)),
        Tuple.of(1, JsonArbitraries.strings()));
  }

  /** Message lists: valid ones, and ones with any role, any content and any extra member. */
  static Arbitrary<String> messages() {
    Arbitrary<String> content = Arbitraries.oneOf(JsonArbitraries.strings(), JsonArbitraries.strings(),
        Arbitraries.just("[{\"type\": \"text\", \"text\": \"hi\"}, {\"type\": \"image_url\", \"image_url\": "
            + "{\"url\": \"data:image/png;base64,AAAA\"}}]"),
        JsonArbitraries.values(3));
    Arbitrary<String> message = JsonArbitraries.envelope(fields(
        "role", Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("user", "system", "assistant", "tool", "developer")
            .map(JsonArbitraries::quote)), Tuple.of(1, JsonArbitraries.strings())),
        "content", content,
        "tool_calls", JsonArbitraries.values(3),
        "name", JsonArbitraries.strings()), "role", "content");
    return Arbitraries.oneOf(
        Arbitraries.just("[{\"role\": \"user\", \"content\": \"hi\"}]"),
        message.list().ofMinSize(1).ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]"));
  }

  /** Header objects for the upstream: mostly valid, sometimes any character in a name or a value. */
  static Arbitrary<String> headerObjects() {
    Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("X-A", "Content-Type",
        "Authorization", "Host", "Connection", "Transfer-Encoding", "Content-Length", "Cache-Control",
        "Idempotency-Key", "X-Request-ID", "Keep-Alive", "TE", "Upgrade", "Accept")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
    Arbitrary<String> value = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(16)),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMaxLength(4)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)));
    return net.jqwik.api.Combinators.combine(name, value).as((n, v) -> quote(n) + ":" + quote(v)).list().ofMaxSize(3)
        .map(list -> "{" + String.join(",", list) + "}");
  }
}
