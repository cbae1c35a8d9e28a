package io.reliapi.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile header names and values, any byte from 0 to 255, on every proxy route: the gateway reads some
 * (request id, idempotency key, cache directives, target choice, credentials), forwards others on {@code /t/},
 * and must answer each request correctly or with a SPEC error, in time, with nothing leaked.
 */
class HeaderPropertiesTest {
  static HostileGateway gw;
  /** Headers the gateway or the HTTP layer reads; framing headers are left to the HTTP layer's own tests. */
  static final List<String> NAMES = List.of("X-Request-ID", "Idempotency-Key", "Cache-Control", "X-ReliAPI-Target",
      "Authorization", "X-API-Key", "Accept", "Accept-Encoding", "Accept-Language", "Content-Type", "Expect",
      "Forwarded", "X-Forwarded-For", "TE", "Trailer", "Upgrade", "Connection", "Keep-Alive", "Proxy-Authorization",
      "Range", "If-None-Match", "Cookie", "Host", "Vary", "Pragma", "X-A");

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

  record Target(String method, String path, String body) {}

  @Property(tries = 150)
  void everyRouteAnswersAnyHeaderBytesCorrectlyOrWithASpecError(@ForAll("hostileHeaders") List<byte[]> headers,
      @ForAll("routes") Target route) {
    byte[] body = route.body().getBytes(StandardCharsets.UTF_8);
    List<byte[]> lines = new ArrayList<>(HostileGateway.baseHeaders(body.length,
        route.body().isEmpty() ? Map.of() : Map.of("Content-Type", "application/json")));
    lines.addAll(headers);
    RawClient.Answer answer = RawClient.send(gw.port(), RawClient.head(route.method() + " " + route.path()
        + " HTTP/1.1", lines), body, gw.waitMs());
    gw.assertSafe(answer);
    switch (route.path()) {
      case "/v1/chat/completions" -> Shapes.openAi(answer);
      case "/proxy/http", "/proxy/llm" -> Shapes.envelope(answer);
      default -> Shapes.problem(answer);
    }
    gw.assertLogsSafe();
  }

  @Provide
  Arbitrary<Target> routes() {
    return Arbitraries.of(
        new Target("POST", "/proxy/http", "{\"target\": \"api\", \"method\": \"GET\", \"path\": \"/x\"}"),
        new Target("POST", "/proxy/http", "{\"target\": \"api\", \"method\": \"POST\", \"path\": \"/x\", \"body\": {}}"),
        new Target("POST", "/proxy/llm", "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
        new Target("POST", "/v1/chat/completions", "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", "
            + "\"content\": \"hi\"}]}"),
        new Target("GET", "/t/api/x?q=1", ""),
        new Target("POST", "/t/api/x", "{\"a\": 1}"));
  }

  /** One or two header lines with hostile names or values (any byte, CR and LF included). */
  @Provide
  Arbitrary<List<byte[]>> hostileHeaders() {
    Arbitrary<byte[]> name = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of(NAMES).map(n -> n.getBytes(StandardCharsets.US_ASCII))),
        Tuple.of(1, bytes(1, 12, 0, 255)),
        Tuple.of(1, bytes(1, 12, 0x21, 0x7e)));
    Arbitrary<byte[]> value = Arbitraries.frequencyOf(
        Tuple.of(8, bytes(0, 40, 0x20, 0x7e)),
        Tuple.of(2, bytes(0, 12, 0x80, 0xff)),
        Tuple.of(1, bytes(0, 12, 0, 255)),
        Tuple.of(3, Arbitraries.of("\"abc\"", "no-cache", "no-store, max-age=0", "max-age=99999999999999999999",
            "Bearer " + HostileGateway.CLIENT_KEY, "openai", "api ", "req_../../x", " ", "a\tb", "close, keep-alive",
            "100-continue", "h2c").map(v -> v.getBytes(StandardCharsets.UTF_8))));
    Arbitrary<String> separator = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(": ", ":", ":\t")),
        Tuple.of(1, Arbitraries.just(" : ")));
    return Combinators.combine(name, separator, value).as((n, s, v) -> {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes(n);
      line.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
      line.writeBytes(v);
      return line.toByteArray();
    }).filter(line -> !framing(line)).list().ofMinSize(1).ofMaxSize(2);
  }

  /** Content-Length and Transfer-Encoding decide where the body ends: a wrong one makes the client slow, not hostile. */
  private static boolean framing(byte[] line) {
    String text = new String(line, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    return text.contains("content-length") || text.contains("transfer-encoding");
  }

  private static Arbitrary<byte[]> bytes(int min, int max, int from, int to) {
    return Arbitraries.integers().between(from, to).map(Integer::byteValue).list().ofMinSize(min).ofMaxSize(max)
        .map(list -> {
          byte[] out = new byte[list.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
          }
          return out;
        });
  }
}
