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
      string(value);
    }
    return this;
  }

  private void string(String value) {
    out.append('"');
    if (plain(value)) {
      out.append(value);
    } else {
      JsonStringEncoder.getInstance().quoteAsString(value, out);
    }
    out.append('"');
  }

  /** Returns whether {@code value} needs no escaping: printable ASCII without quote or backslash. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Writes the entries' text forms as an array of strings, then {@code "+N more"} when some were dropped. */
  public JsonLine field(String name, java.util.List<io.reliapi.pipeline.TrailEntry> entries, int dropped) {
    key(name);
    out.append('[');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(entries.get(i).text());
    }
    if (dropped > 0) {
      out.append(entries.isEmpty() ? "" : ",").append("\"+").append(dropped).append(" more\"");
    }
    out.append(']');
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
    if (value == null) {
      out.append("null");
    } else if (value == 0) {
      out.append('0');
    } else {
      out.append(new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
    }
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
