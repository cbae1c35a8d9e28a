package io.reliapi.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Writes an upstream body into an envelope (SPEC §2.2): parsed JSON when the upstream sent JSON, a string
 * for other text, and {@code body_base64} for binary content.
 */
public final class UpstreamBody {
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  private UpstreamBody() {}

  public static void write(JsonGenerator out, String contentType, byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      out.writeNullField("body");
      return;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String json = isJson(type) ? jsonText(bytes) : null;
    if (json != null) {
      out.writeFieldName("body");
      out.writeRawValue(json);
      return;
    }
    String text = isBinary(type) ? null : utf8(bytes);
    if (text != null) {
      out.writeStringField("body", text);
    } else {
      out.writeStringField("body_base64", Base64.getEncoder().encodeToString(bytes));
    }
  }

  /**
   * Returns the body as JSON text that can be written into the envelope as it is, or null. It must be UTF-8
   * (JSON's encoding; a parser that guesses UTF-16 from the bytes is not asked) and one well-formed value;
   * a leading byte order mark is dropped (RFC 8259 §8.1 lets a parser ignore it; inside the envelope it
   * would be a stray character before the value).
   */
  private static String jsonText(byte[] bytes) {
    if (isPlainAscii(bytes)) {
      // The common answer: checked as bytes, turned into text once, without a decoder.
      return Json.isWellFormedAscii(bytes) ? new String(bytes, StandardCharsets.US_ASCII).strip() : null;
    }
    String text = utf8(bytes);
    if (text == null) {
      return null;
    }
    if (text.startsWith(BYTE_ORDER_MARK)) {
      text = text.substring(1);
    }
    return Json.isWellFormed(text) ? text.strip() : null;
  }

  private static boolean isJson(String type) {
    return type.startsWith("application/json") || type.contains("+json");
  }

  /** Types that are bytes even when they happen to decode as UTF-8. */
  private static boolean isBinary(String type) {
    if (type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
        || type.contains("javascript") || type.contains("x-www-form-urlencoded") || type.contains("yaml")) {
      return false;
    }
    return true;
  }

  /** Returns whether every byte is ASCII and none is NUL (such bytes are UTF-8 without a byte order mark). */
  private static boolean isPlainAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns the bytes as text when they are valid UTF-8 without NUL, else null. */
  private static String utf8(byte[] bytes) {
    if (isPlainAscii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
