package io.reliapi.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The bytes of one member's value of a JSON object, as its writer wrote them. A value read into a tree and written
 * again is not what was sent: its decimals went through doubles ({@code 12345678901234567.5} comes out as
 * {@code 1.2345678901234568E16}, {@code 1e400} as the string {@code "Infinity"}), its escapes were decoded and of two
 * members of one name one was dropped. A value passed on to someone else (an envelope's {@code body}) is passed on
 * as written instead.
 */
public final class WrittenValue {
  private WrittenValue() {}

  /**
   * Returns the bytes of the value of the top-level member {@code name} of the JSON object {@code document} (the
   * last such member, as the tree keeps), or null when {@code document} is not one JSON object, has no such member
   * or its value is neither an object nor an array.
   */
  public static Buffer of(byte[] document, String name) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(document)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      long start = -1;
      long end = -1;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = name.equals(parser.currentName());
        JsonToken value = parser.nextToken();
        long from = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        if (wanted) {
          boolean container = value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY;
          start = container ? from : -1;
          end = parser.currentTokenLocation().getByteOffset() + 1;
        }
      }
      return start < 0 || parser.nextToken() != null ? null : Buffer.buffer(document).slice((int) start, (int) end);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
