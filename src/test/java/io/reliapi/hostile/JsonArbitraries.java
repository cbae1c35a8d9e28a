package io.reliapi.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * JSON text a hostile client might send: any shape, wrong types, numbers no type can hold, deep nesting,
 * any Unicode (lone surrogates included, as escapes), and envelopes that are valid but for one field.
 */
final class JsonArbitraries {
  private JsonArbitraries() {}

  /** Numbers at and beyond every limit: long and double overflow, negative zero, exponents, fractions. */
  static Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "-0", "1", "-1", "0.5", "1e400", "-1e400", "1.5e-400", "1E2", "3.0", "2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890123456789", "0.000000000000000000000000001", "1e-7", "5e18"),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(d -> Double.isFinite(d) ? String.valueOf(d) : "1e999"));
  }

  /** Any text, escaped as a JSON string: every UTF-16 unit is possible, surrogate halves included. */
  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(24),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24),
        Arbitraries.strings().withChars("é漢字😀\u200b\u202e\ufeff\u0000\u0001\u007f\u0085\u2028\ud800\udfff")
            .ofMaxLength(8),
        Arbitraries.of("", "gpt-4o-mini", "openai/gpt-4o-mini", "claude/claude-haiku-4-5", "api", "openai",
            "user", "assistant", "system", "tool", "text", "image_url", "null", "true"))
        .map(JsonArbitraries::quote);
  }

  /** Any JSON value, nested up to {@code depth} levels. */
  static Arbitrary<String> values(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(numbers(), strings(), Arbitraries.of("true", "false", "null"));
    return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
        scalar,
        inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"),
        Combinators.combine(keys(), inner).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(4)
            .map(fields -> "{" + String.join(",", fields) + "}")), 0, depth);
  }

  /** Keys the gateway reads somewhere, and any other text. */
  static Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.of("target", "method", "path", "query", "headers", "body", "body_base64", "idempotency_key",
            "cache", "timeout_ms", "messages", "role", "content", "model", "max_tokens", "temperature", "top_p",
            "stop", "stream", "extra", "tools", "tool_calls", "function", "arguments", "type", "text", "image_url",
            "url", "stream_options", "include_usage", "response_format", "n", "name", "functions", "prediction",
            "max_completion_tokens", "__proto__", ""),
        Arbitraries.strings().all().ofMaxLength(12));
  }

  /** Arrays or objects nested {@code n} deep, as one JSON text: parsers must refuse, not overflow. */
  static Arbitrary<String> deepNesting() {
    return Combinators.combine(Arbitraries.of(64, 600, 3000, 20000), Arbitraries.of("[", "{\"a\":"))
        .as((n, open) -> open.repeat(n) + "1" + (open.equals("[") ? "]" : "}").repeat(n));
  }

  /**
   * A valid object made of {@code fields} (the {@code required} ones always, the others sometimes), then
   * at most one thing wrong with it: one field replaced by any value, one field left out, or one key the
   * route does not know. One fault at a time reaches deeper than many, which the first check would catch.
   */
  static Arbitrary<String> envelope(Map<String, Arbitrary<String>> fields, String... required) {
    List<String> names = List.copyOf(fields.keySet());
    Set<String> must = Set.of(required);
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (String name : names) {
      Arbitrary<String> value = fields.get(name);
      parts.add(must.contains(name) ? value : Arbitraries.frequencyOf(Tuple.of(1, value), Tuple.of(1,
          Arbitraries.just(ABSENT))));
    }
    Arbitrary<String> fault = uniform(8).map(n -> n < 4 ? "none" : n < 6 ? "replace" : n < 7 ? "remove" : "unknown");
    return Combinators.combine(Combinators.combine(parts).as(List::copyOf), fault,
        uniform(names.size()), values(2), keys())
        .as((chosen, kind, index, any, key) -> {
          Map<String, String> object = new LinkedHashMap<>();
          for (int i = 0; i < names.size(); i++) {
            if (!chosen.get(i).equals(ABSENT)) {
              object.put(names.get(i), chosen.get(i));
            }
          }
          switch (kind) {
            case "replace" -> object.put(names.get(index), any);
            case "remove" -> object.remove(names.get(index));
            case "unknown" -> object.putIfAbsent(key, any);
            default -> { }
          }
          StringBuilder out = new StringBuilder("{");
          object.forEach((name, value) -> out.append(out.length() > 1 ? "," : "").append(quote(name)).append(':')
              .append(value));
          return out.append('}').toString();
        });
  }

  /** Marks an optional field left out (never a JSON text, so it cannot collide with a generated value). */
  private static final String ABSENT = "\u0000absent";

  /** The same text as UTF-8 bytes, sometimes broken: invalid sequences, a BOM, or cut short. */
  static Arbitrary<byte[]> bytesOf(Arbitrary<String> json) {
    Arbitrary<byte[]> broken = Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82},
        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0}, new byte[] {(byte) 0x80});
    return Combinators.combine(json, uniform(30), broken, uniform(1000).map(n -> n / 1000.0))
        .as((text, how, bad, where) -> {
          byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
          int at = (int) (where * bytes.length);
          return switch (how) {
            case 0 -> concat(java.util.Arrays.copyOf(bytes, at), bad, java.util.Arrays.copyOfRange(bytes, at, bytes.length));
            case 1 -> java.util.Arrays.copyOf(bytes, at);
            case 2 -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes, new byte[0]);
            default -> bytes;
          };
        });
  }

  /** A number from 0 to {@code bound - 1}, each equally likely (jqwik's own integers favour small values). */
  static Arbitrary<Integer> uniform(int bound) {
    return Arbitraries.randomValue(random -> random.nextInt(bound));
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  static Map<String, Arbitrary<String>> fields(Object... namesAndArbitraries) {
    Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndArbitraries.length; i += 2) {
      @SuppressWarnings("unchecked")
      Arbitrary<String> value = (Arbitrary<String>) namesAndArbitraries[i + 1];
      fields.put((String) namesAndArbitraries[i], value);
    }
    return fields;
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] out = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
