package io.reliapi.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.MockUpstream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * Hostile paths and query strings, on {@code /t/} (raw bytes in the request line) and in the {@code path} of a
 * {@code /proxy/http} envelope: dot segments plain and percent-encoded, {@code ;}, backslashes, encoded
 * slashes, malformed escapes, control characters, Unicode. Each gets the upstream's answer or a SPEC error;
 * and whatever reaches the upstream stays below the target's base path and is the path the client sent,
 * byte for byte once percent-decoded: the gateway never rewrites one path into another.
 */
class PathPropertiesTest {
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

  @Property(tries = 150)
  void passThroughForwardsAPathUnchangedBelowTheBaseOrRefusesIt(@ForAll("paths") byte[] path,
      @ForAll("queries") byte[] query, @ForAll("methods") String method) {
    gw.answerEverything();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    line.writeBytes((method + " /t/api").getBytes(StandardCharsets.US_ASCII));
    line.writeBytes(path);
    line.writeBytes(query);
    line.writeBytes(" HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
    byte[] head = RawClient.head(new String(line.toByteArray(), StandardCharsets.ISO_8859_1),
        HostileGateway.baseHeaders(0, Map.of()));
    RawClient.Answer answer = RawClient.send(gw.port(), head, new byte[0], gw.waitMs());

    gw.assertSafe(answer);
    Shapes.problem(answer, method.equals("HEAD"));
    assertForwardedUnchanged(targetAsParsed(path));
    gw.assertLogsSafe();
  }

  /**
   * Returns the part of {@code path} the server reads as the request target: RFC 9112 §3 lets a recipient
   * treat any whitespace in the request line (HTAB, VT, FF, a bare CR) as the separator, which ends the target
   * there, as Netty does. What follows is read as the protocol version (and refused unless it is one).
   */
  private static byte[] targetAsParsed(byte[] path) {
    for (int i = 0; i < path.length; i++) {
      if (path[i] == ' ' || path[i] == '\t' || path[i] == 0x0b || path[i] == 0x0c || path[i] == '\r') {
        return java.util.Arrays.copyOf(path, i);
      }
    }
    return path;
  }

  @Property(tries = 100)
  void anEnvelopePathIsForwardedUnchangedBelowTheBaseOrRefused(@ForAll("envelopePaths") String path) {
    gw.answerEverything();
    String body = "{\"target\": \"api\", \"method\": \"GET\", \"path\": " + JsonArbitraries.quote(path) + "}";
    RawClient.Answer answer = gw.post("/proxy/http", body.getBytes(StandardCharsets.UTF_8), Map.of());

    gw.assertSafe(answer);
    Shapes.envelope(answer);
    int q = path.indexOf('?');
    assertForwardedUnchanged((q < 0 ? path : path.substring(0, q)).getBytes(StandardCharsets.UTF_8));
    gw.assertLogsSafe();
  }

  /** What the upstream saw, if anything: below /base, no dot segment, and the client's path once decoded. */
  private static void assertForwardedUnchanged(byte[] sentPath) {
    List<MockUpstream.Recorded> seen = gw.up.requests();
    assertThat(seen).hasSizeLessThanOrEqualTo(1);
    if (seen.isEmpty()) {
      return;
    }
    String forwarded = seen.getFirst().uri();
    int q = forwarded.indexOf('?');
    String forwardedPath = q < 0 ? forwarded : forwarded.substring(0, q);
    assertThat(forwardedPath).as("forwarded below the base path").matches("/base(/.*)?");
    byte[] decoded = decode(forwardedPath.getBytes(StandardCharsets.ISO_8859_1));
    for (String segment : new String(decoded, StandardCharsets.ISO_8859_1).split("[/\\\\]", -1)) {
      assertThat(segment).as("a dot segment in %s", forwardedPath).isNotIn(".", "..");
    }
    byte[] expected = decode(("/base" + new String(sentPath, StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(decoded, StandardCharsets.ISO_8859_1))
        .as("the path the client sent, %s", new String(sentPath, StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
  }

  /** Percent-decodes to bytes once; a malformed escape stays as it is. */
  static byte[] decode(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '%' && i + 2 < text.length && Character.digit(text[i + 1], 16) >= 0
          && Character.digit(text[i + 2], 16) >= 0) {
        out.write(Character.digit(text[i + 1], 16) * 16 + Character.digit(text[i + 2], 16));
        i += 2;
      } else {
        out.write(text[i]);
      }
    }
    return out.toByteArray();
  }

  static final List<String> SEGMENTS = List.of("a", "x", ".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252e", "..;",
      ";x", "a;b=c", "%2f", "%2F..", "%5c", "\\", "%00", "%0d%0a", "%zz", "%", "x%2", "~", "@", ":", "%20", "+",
      "", "caf\u00e9", "\u6f22\u5b57", "%c3%a9", "%ff", "*", "!$&'()", "%7f");

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "GET", "DELETE", "HEAD", "OPTIONS");
  }

  /** Raw path bytes after {@code /t/api}: empty, or {@code /} and segments (UTF-8, sometimes a raw control byte). */
  @Provide
  Arbitrary<byte[]> paths() {
    Arbitrary<String> segment = Arbitraries.of(SEGMENTS);
    Arbitrary<String> path = segment.list().ofMinSize(0).ofMaxSize(5).map(list -> list.isEmpty() ? ""
        : "/" + String.join("/", list));
    Arbitrary<byte[]> raw = path.map(p -> p.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(Tuple.of(8, raw),
        Tuple.of(1, Combinators.combine(raw, Arbitraries.of((byte) 0x01, (byte) 0x7f, (byte) 0x80, (byte) 0xff,
            (byte) 0x0b, (byte) '#')).as((p, b) -> {
              byte[] out = java.util.Arrays.copyOf(p, p.length + 2);
              out[p.length] = '/';
              out[p.length + 1] = b;
              return out;
            })));
  }

  @Provide
  Arbitrary<byte[]> queries() {
    Arbitrary<String> part = Arbitraries.of("a=1", "b=%20", "c=%zz", "d=\u00e9", "e=%00", "f", "", "g=%0d%0a",
        "h=a;b", "i=..%2f..", "j=%ff", "k=?", "l=%");
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
        Tuple.of(2, part.list().ofMinSize(1).ofMaxSize(3).map(list -> "?" + String.join("&", list))))
        .map(q -> q.getBytes(StandardCharsets.UTF_8));
  }

  /** Envelope paths: the same segments as text, and any Unicode a JSON string can carry. */
  @Provide
  Arbitrary<String> envelopePaths() {
    Arbitrary<String> segments = Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(5)
        .map(list -> "/" + String.join("/", list));
    Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u0020', '\uffff').ofMaxLength(8)
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c))).map(s -> "/" + s);
    return Arbitraries.frequencyOf(Tuple.of(4, segments), Tuple.of(1, unicode),
        Tuple.of(1, Combinators.combine(segments, Arbitraries.of("?a=1", "?q=%zz", "?x=\u00e9", "#frag", "?\u0001"))
            .as((p, q) -> p + q)));
  }
}
