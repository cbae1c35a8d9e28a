package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Provider answers to a streamed request in the shapes a provider, or a proxy in front of it, may give them
 * (docs/guarantees.md, "Streams and framing"): an event stream announced with a Content-Length, CR-only line
 * endings, the usage in the chunk with the last words, an HTML page or a JSON error labelled as a 200, an event far
 * over the limit, gzip when the request leaves the coding to the server. A valid stream is answered and charged
 * whatever its framing; anything else is the route's own error, charged only for what streamed.
 */
class ProviderStreamShapesEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final String HEAD = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",";
  static final String ROLE = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
      + "\"finish_reason\":null}]}";
  static final String HEL = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}";
  /** The last words, the finish reason and the usage in one chunk, as some OpenAI-compatible providers send them. */
  static final String LO_WITH_USAGE = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":40,\"total_tokens\":47}}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
        targets:
          gpt:
            base_url: "%1$s/v1"
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  static String stream(String lineEnd) {
    String gap = lineEnd + lineEnd;
    return ROLE + gap + HEL + gap + LO_WITH_USAGE + gap + "data: [DONE]" + gap;
  }

  static double completionTokens() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_llm_tokens_total", "target", "gpt", "type", "completion");
  }

  private static Streamed call(StreamRoute route, Behavior provider) {
    e2e.up().script(CHAT, provider);
    Streamed answer = route.call(e2e.gw(), "gpt");
    assertThat(e2e.up().count("/v1/chat/completions")).as("one provider call").isEqualTo(1);
    return answer;
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void anEventStreamAnnouncedWithAContentLengthIsReadAsAStreamAndCharged(StreamRoute route) {
    for (String lineEnd : List.of("\n", "\r\n")) {
      e2e.up().reset();
      double before = completionTokens();
      Streamed answer = call(route, Behavior.respond(200, LlmBehaviors.sseHeaders(), stream(lineEnd)));

      assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
      assertThat(answer.text()).isEqualTo("Hello");
      assertThat(completionTokens() - before).as("the provider's usage").isEqualTo(40);
    }
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM", "ANTHROPIC", "RESPONSES"})
  void anEventStreamWithCrOnlyLineEndingsIsAnswered(StreamRoute route) {
    for (Behavior provider : List.of(LlmBehaviors.sse(List.of(ROLE + "\r\r", HEL + "\r\r", LO_WITH_USAGE + "\r\r",
        "data: [DONE]\r\r"), 1), Behavior.respond(200, LlmBehaviors.sseHeaders(), stream("\r")))) {
      e2e.up().reset();
      Streamed answer = call(route, provider);
      assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
      assertThat(answer.text()).isEqualTo("Hello");
    }
  }

  /**
   * A server that compresses its answer unless the request asks for no coding, as RFC 9110 §12.5.3 lets it when
   * the request has no {@code Accept-Encoding}: before 2026-12-08 the gateway sent none and read the gzip bytes as
   * an event stream holding nothing, so a valid, billed answer was a 502 {@code UPSTREAM_INVALID_RESPONSE}, uncharged.
   */
  static Behavior compressingUnlessAskedNotTo(String body) {
    return call -> {
      String accepted = call.recorded().header("Accept-Encoding");
      if ("identity".equals(accepted)) {
        Behavior.respond(200, LlmBehaviors.sseHeaders(), body).respond(call);
        return;
      }
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> headers = new HashMap<>(LlmBehaviors.sseHeaders());
      headers.put("Content-Encoding", "gzip");
      Behavior.respond(200, headers, Buffer.buffer(zipped.toByteArray())).respond(call);
    };
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void aServerFreeToCompressIsAskedForNoCodingAndItsStreamIsAnsweredAndCharged(StreamRoute route) {
    double before = completionTokens();
    Streamed answer = call(route, compressingUnlessAskedNotTo(stream("\n")));

    assertThat(e2e.up().last().header("Accept-Encoding")).isEqualTo("identity");
    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(completionTokens() - before).isEqualTo(40);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void usageInTheChunkWithTheLastWordsKeepsTheWordsAndIsCharged(StreamRoute route) {
    double before = completionTokens();
    Streamed answer = call(route, LlmBehaviors.sse(List.of(ROLE + "\n\n", HEL + "\n\n", LO_WITH_USAGE + "\n\n",
        "data: [DONE]\n\n"), 1));

    assertThat(answer.whole()).as("a whole answer: %s", answer.body()).isTrue();
    assertThat(answer.text()).isEqualTo("Hello");
    assertThat(completionTokens() - before).isEqualTo(40);
  }

  @ParameterizedTest
  @EnumSource(StreamRoute.class)
  void anHtmlPageOrAJsonErrorSentAsA200IsTheRoutesErrorAndCostsNothing(StreamRoute route) {
    for (Behavior provider : List.of(
        Behavior.respond(200, LlmBehaviors.sseHeaders(), "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        Behavior.respond(200, Map.of("Content-Type", "application/json"),
            "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"))) {
      e2e.up().reset();
      double before = completionTokens();
      Streamed answer = call(route, provider);

      assertThat(answer.status()).as(answer.body()).isEqualTo(502);
      assertThat(answer.body()).contains("UPSTREAM_INVALID_RESPONSE").doesNotContain("<html>", "127.0.0.1");
      assertThat(completionTokens() - before).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "PROXY_LLM", "ANTHROPIC", "RESPONSES"})
  void anEventFarOverTheLimitEndsTheStreamWithTheRoutesErrorAndFreesItsMemory(StreamRoute route) {
    double before = completionTokens();
    Streamed answer = call(route, LlmBehaviors.sse(List.of(ROLE + "\n\n", HEL + "\n\n", "data: " + "x".repeat(12_000_000)), 1));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("Hel");
    assertThat(answer.whole()).isFalse();
    assertThat(answer.error()).as(answer.body()).contains("UPSTREAM_RESPONSE_TOO_LARGE");
    assertThat(completionTokens() - before).as("what streamed").isEqualTo(1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_buffered_bytes")).isZero();
  }
}
