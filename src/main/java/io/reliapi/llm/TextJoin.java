package io.reliapi.llm;

/**
 * Joins a continuation's text to the text the client already has, in two steps:
 * <ul>
 *   <li>a provider that may write the prefix it was given again at the start of its answer ({@code echo};
 *       Mistral's {@code prefix: true}, whose examples strip it off) has that copy dropped, only when it writes it
 *       whole: text that parts from it on the way is passed on, held back text included;</li>
 *   <li>a provider given less than the client has ({@code pending}: Anthropic refuses a prefix ending in whitespace,
 *       so that whitespace is trimmed off) often starts by writing that whitespace again: what it writes again of
 *       it is dropped, across pieces; from the first character that differs on, every piece passes as it is.</li>
 * </ul>
 * So nothing is doubled, and nothing the model wrote beyond what the client already has is lost.
 */
final class TextJoin {
  private final StringBuilder held = new StringBuilder();
  private String echo;
  private String pending;

  TextJoin(String echo, String pending) {
    this.echo = echo;
    this.pending = pending;
  }

  /** Returns {@code piece} without what it repeats; text that might still be an echo is held back. */
  String next(String piece) {
    if (!echo.isEmpty()) {
      held.append(piece);
      String seen = held.toString();
      if (echo.startsWith(seen) && seen.length() < echo.length()) {
        return "";
      }
      piece = seen.startsWith(echo) ? seen.substring(echo.length()) : seen;
      echo = "";
      held.setLength(0);
    }
    return withoutPending(piece);
  }

  /** Returns the text held back as a possible echo, at the continuation's end: it was not one. */
  String flush() {
    String rest = held.toString();
    echo = "";
    held.setLength(0);
    return withoutPending(rest);
  }

  private String withoutPending(String piece) {
    if (pending.isEmpty()) {
      return piece;
    }
    int same = 0;
    while (same < piece.length() && same < pending.length() && piece.charAt(same) == pending.charAt(same)) {
      same++;
    }
    // Past a differing character nothing more is dropped; a piece used up by the match leaves the rest pending.
    pending = same == piece.length() ? pending.substring(same) : "";
    return piece.substring(same);
  }
}
