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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The gateway's one JSON mapper, with nesting and size limits so hostile input cannot exhaust it. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(64 << 20).build())
      // Money amounts are BigDecimals: 0.00000031, never 3.1E-7.
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      // Names stay canonical (one String per distinct name) but out of the JVM's string table: a client sending
      // ever new names would grow that table, which every young collection walks.
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build())
      .setNodeFactory(JsonNodes.INSTANCE);

  /**
   * Parses only to check well-formedness: the same limits, but field names are neither interned nor kept in a
   * symbol table (an answer's names are read once and thrown away; canonicalizing them was most of the check).
   */
  private static final JsonFactory CHECKER = JsonFactory.builder()
      .streamReadConstraints(MAPPER.getFactory().streamReadConstraints())
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private Json() {}

  /** A writer of one JSON document. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator out) throws IOException;
  }

  /** Returns the bytes {@code writer} produces. */
  public static Buffer write(Writer writer) {
    return write(0, writer);
  }

  /** Returns the bytes {@code writer} produces, about {@code expectedBytes} of them (so they are not copied to grow). */
  public static Buffer write(int expectedBytes, Writer writer) {
    // The generator fills its own (recycled) buffer and hands it over on close: straight into the Buffer
    // that is sent, not through a byte array stream and two more copies.
    BufferStream bytes = new BufferStream(expectedBytes);
    try (JsonGenerator out = MAPPER.getFactory().createGenerator(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.buffer();
  }

  /**
   * Appends what is written to a Buffer made at the first write: a document smaller than the generator's own buffer
   * (most are) arrives in one write on close, so the Buffer is made to its length rather than guessed.
   */
  private static final class BufferStream extends OutputStream {
    private final int expectedBytes;
    private Buffer target;

    BufferStream(int expectedBytes) {
      this.expectedBytes = expectedBytes;
    }

    Buffer buffer() {
      return target != null ? target : Buffer.buffer(0);
    }

    private Buffer target(int len) {
      if (target == null) {
        target = Buffer.buffer(Math.max(len, expectedBytes));
      }
      return target;
    }

    @Override
    public void write(int b) {
      target(1).appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target(len).appendBytes(b, off, len);
    }
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
    try (JsonParser parser = CHECKER.createParser(text)) {
      return oneValue(parser);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns whether {@code ascii} is exactly one well-formed JSON value; the caller has checked that every byte
   * is ASCII and none is NUL, so the parser reads the bytes as the UTF-8 they are (no other encoding has such
   * bytes to guess from) without decoding them to text first.
   */
  public static boolean isWellFormedAscii(byte[] ascii) {
    try (JsonParser parser = CHECKER.createParser(ascii)) {
      return oneValue(parser);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean oneValue(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return false;
    }
    parser.skipChildren();
    return parser.nextToken() == null;
  }

}
