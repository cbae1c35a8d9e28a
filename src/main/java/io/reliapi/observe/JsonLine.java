package io.reliapi.observe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.reliapi.http.PlainDecimal;

/** Builds one JSON object field by field into a reused UTF-8 buffer; values are escaped, nulls kept. */
public final class JsonLine {
  private final LineBytes out;

  JsonLine(LineBytes out) {
    this.out = out;
  }

  public JsonLine field(String name, String value) {
    key(name);
    if (value == null) {
      out.ascii("null");
    } else {
      string(value);
    }
    return this;
  }

  private void string(String value) {
    out.ascii('"');
    if (!out.plain(value)) {
      out.append(JsonStringEncoder.getInstance().quoteAsUTF8(value));
    }
    out.ascii('"');
  }

  /** Writes the entries' text forms as an array of strings, then {@code "+N more"} when some were dropped. */
  public JsonLine field(String name, java.util.List<io.reliapi.pipeline.TrailEntry> entries, int dropped) {
    key(name);
    out.ascii('[');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.ascii(',');
      }
      string(entries.get(i).text());
    }
    if (dropped > 0) {
      out.ascii(entries.isEmpty() ? "" : ",").ascii("\"+").append(dropped).ascii(" more\"");
    }
    out.ascii(']');
    return this;
  }

  public JsonLine field(String name, long value) {
    key(name);
    out.append(value);
    return this;
  }

  public JsonLine field(String name, boolean value) {
    key(name);
    out.ascii(value ? "true" : "false");
    return this;
  }

  public JsonLine field(String name, Double value) {
    key(name);
    out.ascii(value == null ? "null" : PlainDecimal.of(value));
    return this;
  }

  private void key(String name) {
    out.ascii(",\"").ascii(name).ascii("\":");
  }

  /** Fields a log call adds to its line: pass one as the only argument of a log statement. */
  @FunctionalInterface
  public interface Fields {
    void appendTo(JsonLine line);
  }
}
