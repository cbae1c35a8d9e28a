package io.reliapi.policy.idempotency;

import io.reliapi.http.Headers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How a request's body bytes are to be read, as the fingerprint counts it ({@link Fingerprint}): the same bytes as
 * JSON or as a form, or gzipped or not, are other requests. Written in one form whatever the spelling: the media type
 * and parameter names in lower case, parameters in name order with their values quoted alike (and a {@code charset}'s
 * in lower case: RFC 9110 §8.3.1 makes those case-insensitive, other values may not be); a line that cannot be read so
 * (a quoted string never closed, a trailing backslash) counts byte for byte, so it never meets a well-formed one;
 * content codings in lower case, in the order applied, {@code identity} left out, {@code x-gzip} read as {@code gzip}
 * and {@code x-compress} as {@code compress} (RFC 9110 §8.4.1). Pure.
 */
final class BodyMeaning {
  private static final String JSON = "application/json";

  private BodyMeaning() {}

  /**
   * Returns the request's media type in one form, or null when it counts for nothing: none given, or plain JSON
   * ({@code application/json}, at most with {@code charset=utf-8}, which is what JSON is anyway), so that the
   * fingerprints of such requests stay what stored keys were made with (the LLM routes' requests among them).
   */
  static String mediaType(Headers headers) {
    List<String> lines = headers.all("content-type");
    if (lines.isEmpty()) {
      return null;
    }
    List<String> forms = new ArrayList<>(lines.size());
    lines.forEach(line -> forms.add(normalized(line)));
    String form = String.join(", ", forms);
    return form.equals(JSON) || form.equals(JSON + ";charset=\"utf-8\"") ? null : form;
  }

  /** Returns the content codings applied to the body, in order, or null for none (or only {@code identity}). */
  static String contentCoding(Headers headers) {
    String joined = headers.joined("content-encoding");
    if (joined == null) {
      return null;
    }
    List<String> codings = new ArrayList<>();
    for (String token : joined.split(",")) {
      String coding = token.trim().toLowerCase(Locale.ROOT);
      if (!coding.isEmpty() && !coding.equals("identity")) {
        codings.add(coding.equals("x-gzip") ? "gzip" : coding.equals("x-compress") ? "compress" : coding);
      }
    }
    return codings.isEmpty() ? null : String.join(",", codings);
  }

  /** {@code type/subtype;name="value"...}: values quoted (quotes and backslashes escaped), so no two lists meet. */
  private static String normalized(String line) {
    List<String> pieces = split(line);
    if (pieces == null || line.endsWith("\\")) {
      return line; // malformed: no well-formed line's form (its quotes balanced, no trailing backslash) is this
    }
    StringBuilder out = new StringBuilder(pieces.get(0).trim().toLowerCase(Locale.ROOT));
    List<String[]> parameters = new ArrayList<>();
    for (String piece : pieces.subList(1, pieces.size())) {
      int eq = piece.indexOf('=');
      String name = (eq < 0 ? piece : piece.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : unquoted(piece.substring(eq + 1).trim());
      if (!name.isEmpty()) {
        parameters.add(new String[] {name, name.equals("charset") ? value.toLowerCase(Locale.ROOT) : value});
      }
    }
    parameters.sort(Comparator.comparing(parameter -> parameter[0])); // stable: a repeated name keeps its order
    for (String[] parameter : parameters) {
      out.append(';').append(parameter[0]).append("=\"")
          .append(parameter[1].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.toString();
  }

  /** Splits at the semicolons outside quoted strings; null when a quoted string is never closed. */
  private static List<String> split(String line) {
    List<String> pieces = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        pieces.add(line.substring(start, i));
        start = i + 1;
      }
    }
    pieces.add(line.substring(start));
    return quoted ? null : pieces;
  }

  /** A quoted string's content (RFC 9110 §5.6.4), or the token as it is. */
  private static String unquoted(String value) {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() - 1) {
        c = value.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
