package io.reliapi.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.http.PlainDecimal;
import java.io.IOException;

/** Writes USD amounts into JSON without exponent notation or float noise ({@link PlainDecimal}). */
public final class Money {
  private Money() {}

  /** Writes {@code usd} as a plain JSON number (0.0000031, never 3.1E-6), or null. */
  public static void writeField(JsonGenerator out, String name, Double usd) throws IOException {
    out.writeFieldName(name);
    if (usd == null) {
      out.writeNull();
    } else {
      out.writeNumber(PlainDecimal.of(usd));
    }
  }
}
