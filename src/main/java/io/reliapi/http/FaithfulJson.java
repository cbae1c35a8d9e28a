package io.reliapi.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Tells whether a JSON document's canonical form ({@link Canonical#json}) keeps all that any reader of its bytes
 * may go by. The gateway's parser keeps the last of two members with one name, reads decimals as doubles (so
 * {@code 0.10000000000000001} is {@code 0.1}, {@code 1e400} the string {@code "Infinity"}) and skips a byte order
 * mark, reads UTF-16 and reads an overlong UTF-8 form as the character it spells; an upstream reading the
 * client's bytes may take the first member, keep every digit or refuse the document. Such a document counts
 * byte for byte instead, so a different one is never taken for it.
 */
final class FaithfulJson {
  private static final JsonFactory STRICT = JsonFactory.builder()
      .streamReadConstraints(Json.MAPPER.getFactory().streamReadConstraints())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private FaithfulJson() {}

  /** Returns whether {@code bytes} are UTF-8 JSON with unique member names and decimals a double holds exactly. */
  static boolean check(byte[] bytes) {
    if (!plainUtf8(bytes)) {
      return false;
    }
    try (JsonParser parser = STRICT.createParser(bytes)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.VALUE_NUMBER_FLOAT && !exact(parser)) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns whether {@code bytes} start with no byte order mark and are strict UTF-8 without NUL
   * ({@link StrictUtf8}): UTF-8 JSON starts with an ASCII character (RFC 8259), and the parser would otherwise skip
   * the mark, guess UTF-16 or UTF-32, or read an overlong form or an encoded surrogate as the character it spells.
   */
  private static boolean plainUtf8(byte[] bytes) {
    return (bytes.length == 0 || bytes[0] >= 0) && StrictUtf8.isJsonText(bytes);
  }

  /** Returns whether the decimal at the parser is finite and exactly the double the canonical form writes. */
  private static boolean exact(JsonParser parser) throws IOException {
    double value = parser.getDoubleValue();
    return Double.isFinite(value)
        && new BigDecimal(parser.getText()).compareTo(new BigDecimal(Double.toString(value))) == 0;
  }
}
