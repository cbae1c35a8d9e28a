package io.reliapi.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The gateway's one JSON mapper, with nesting and size limits so hostile input cannot exhaust it. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(64 << 20).build())
      // Money amounts are BigDecimals: 0.00000031, never 3.1E-7.
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build());

  private Json() {}

  /** A writer of one JSON document. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator out) throws IOException;
  }

  /** Returns the bytes {@code writer} produces. */
  public static Buffer write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator out = MAPPER.getFactory().createGenerator(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  /** Parses {@code bytes}; returns null when they are not one complete JSON document. */
  public static JsonNode parseOrNull(byte[] bytes) {
    try (JsonParser parser = MAPPER.getFactory().createParser(bytes)) {
      JsonNode node = MAPPER.readTree(parser);
      return parser.nextToken() == null ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Returns whether {@code text} is exactly one well-formed JSON value (surrounding whitespace allowed),
   * without building a tree. Text, not bytes: a byte parser would guess UTF-16 or UTF-32 from the bytes and
   * skip a byte order mark, accepting what cannot be copied into a UTF-8 document as it is.
   */
  public static boolean isWellFormed(String text) {
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
