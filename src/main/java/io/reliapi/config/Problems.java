package io.reliapi.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects every configuration problem so a user sees them all at once, not one per restart. */
final class Problems {
  private static final int MAX_VALUE_CHARS = 60;
  private final List<String> lines = new ArrayList<>();

  /** Records that {@code value} at {@code path} breaks {@code rule}. */
  void add(String path, Object value, String rule) {
    lines.add(path + ": " + rule + " (got " + show(value) + ")");
  }

  /** Records that the key at {@code path} breaks {@code rule} whatever its value (the value may hold a secret). */
  void add(String path, String rule) {
    lines.add(path + ": " + rule);
  }

  /** Records an unknown key, suggesting the closest allowed one when it is near. */
  void unknownKey(String path, String key, Collection<String> allowed) {
    String hint = DidYouMean.closest(key, allowed)
        .map(k -> "unknown key, did you mean \"" + k + "\"?")
        .orElse("unknown key; allowed here: " + String.join(", ", allowed));
    lines.add(path + ": " + hint);
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }

  private static String show(Object value) {
    if (value == null) {
      return "nothing";
    }
    String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    text = text.replaceAll("[\\r\\n\\t]", " ");
    return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "…" : text;
  }
}
