package io.reliapi.llm.cost;

/**
 * Counts a text with an encoding, as jtokkit's {@code countTokensOrdinary} does: the text made well-formed first, and
 * short texts, which repeat from request to request, counted once per thread lately ({@code RecentCounts}).
 */
final class TextTokens {
  private TextTokens() {}

  static int count(TokenEncoding encoding, String text) {
    if (text.isEmpty()) {
      return 0;
    }
    text = wellFormed(text);
    if (text.length() > RecentCounts.MAX_TEXT_CHARS) {
      return encoding.count(text);
    }
    return RecentCounts.PER_THREAD.get().count(encoding, text);
  }

  /**
   * Returns {@code text} with each unpaired surrogate (JSON can carry a lone {@code \\ud800} escape) replaced
   * by U+FFFD, as UTF-8 would carry it (jtokkit, whose counts ours equal, rejects such text).
   */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\ufffd');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Counts of short texts seen lately, per thread (so no locking): system prompts, roles and instructions
   * repeat from request to request, and tokenizing is the costliest part of a cost estimate. Bounded:
   * {@value #ENTRIES} texts of at most {@value #MAX_TEXT_CHARS} characters per event loop.
   */
  private static final class RecentCounts extends java.util.LinkedHashMap<RecentCounts.Key, Integer> {
    static final int ENTRIES = 256;
    static final int MAX_TEXT_CHARS = 2048;
    static final ThreadLocal<RecentCounts> PER_THREAD = ThreadLocal.withInitial(RecentCounts::new);

    RecentCounts() {
      super(ENTRIES * 2, 0.75f, true);
    }

    /** A text and its encoding; the text's hash is the one the String keeps, so no copy is made to look it up. */
    private record Key(TokenEncoding encoding, String text) {}

    int count(TokenEncoding encoding, String text) {
      Key key = new Key(encoding, text);
      Integer known = get(key);
      if (known == null) {
        known = encoding.count(text);
        put(key, known);
      }
      return known;
    }

    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<Key, Integer> eldest) {
      return size() > ENTRIES;
    }
  }
}
