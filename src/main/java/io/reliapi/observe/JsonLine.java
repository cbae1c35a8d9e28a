package io.reliapi.observe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Builds one JSON object field by field into a reused StringBuilder; values are escaped, nulls kept. */
public final class JsonLine {
  private final StringBuilder out;

  JsonLine(StringBuilder out) {
    this.out = out;
  }

  public JsonLine field(String name, String value) {
    key(name);
    if (value == null) {
      out.append("null");
    } else {
      out.append('"');
      JsonStringEncoder.getInstance().quoteAsString(value, out);
      out.append('"');
    }
    return this;
  }

  public JsonLine field(String name, long value) {
    key(name);
    out.append(value);
    return this;
  }

  public JsonLine field(String name, boolean value) {
    key(name);
    out.append(value);
    return this;
  }

  public JsonLine field(String name, Double value) {
    key(name);
    out.append(value == null ? "null" : new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
    return this;
  }

  private void key(String name) {
    out.append(",\"").append(name).append("\":");
  }

  /** Fields a log call adds to its line: pass one as the only argument of a log statement. */
  @FunctionalInterface
  public interface Fields {
    void appendTo(JsonLine line);
  }
}
