package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the raw routes ({@code /t/}, {@code /proxy/http}) may do on an LLM target, decided from the method and
 * path alone. A POST to the provider's chat endpoint is a chat call, priced, capped and budgeted like one on
 * {@code /v1}, whether or not its path is listed; any other request passes only under a prefix of
 * {@code llm.raw_paths} (whole segments: {@code /files} covers {@code /files} and {@code /files/x}, not
 * {@code /filesx}); everything else is refused. Gemini's generation calls, which the gateway cannot price on
 * these routes, are refused even under a listed prefix.
 *
 * <p>Paths are compared in a normal form, so a variant a server may take for the same resource cannot pass
 * for another one: percent-escapes decoded, {@code ;parameters} and empty segments dropped, no trailing
 * {@code /}. The chat endpoint is also matched without regard to case; a listed prefix is matched exactly.
 */
public final class RawPaths {
  /** Rounds of percent-decoding, as many as the path guard checks. */
  private static final int DECODE_ROUNDS = 3;

  private RawPaths() {}

  /** What a raw request to an LLM target is. */
  public enum Use {
    /** A call to the provider's chat endpoint: it goes through the cost controls. */
    CHAT,
    /** A request under a listed prefix: forwarded as it is. */
    LISTED,
    /** Anything else: 403, and nothing reaches the provider. */
    FORBIDDEN
  }

  /** Decides for a request with {@code method} and {@code rawPath} (as received, without query) on {@code llm}. */
  public static Use of(LlmConfig llm, String method, String rawPath) {
    String path = normal(rawPath);
    String chat = Providers.of(llm.provider()).chatPath();
    String lower = path.toLowerCase(Locale.ROOT);
    // A "post" in lower case too: forwarded as it is under a listed prefix, a lenient server would run it unpriced.
    if (method.equalsIgnoreCase("POST") && lower.equals(chat.toLowerCase(Locale.ROOT))) {
      return Use.CHAT;
    }
    if (llm.provider() == LlmConfig.Provider.GEMINI && billedGeminiMethod(lower)) {
      return Use.FORBIDDEN;
    }
    for (String prefix : llm.rawPaths()) {
      if (prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/")) {
        return Use.LISTED;
      }
    }
    return Use.FORBIDDEN;
  }

  /**
   * Returns whether {@code lowerPath} (normal form, lower case) calls one of Gemini's model methods that bill
   * ({@code …:generateContent}, {@code :streamGenerateContent}, {@code :batchGenerateContent},
   * {@code :embedContent}, {@code :batchEmbedContents}, {@code :predict}, {@code :predictLongRunning}, and any
   * method Gemini adds): every {@code …:method} but {@code :countTokens}, which is free. Their paths name the
   * model, and the gateway does not read Gemini's own protocol to price them, so they are refused on the raw
   * routes even under a listed prefix: a budgeted target cannot be spent around its budget.
   */
  private static boolean billedGeminiMethod(String lowerPath) {
    String last = lowerPath.substring(lowerPath.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    return colon >= 0 && !last.substring(colon + 1).equals("counttokens");
  }

  /** Returns {@code rawPath} in the normal form described above; the root is {@code /}. */
  static String normal(String rawPath) {
    String decoded = rawPath;
    for (int round = 0; round < DECODE_ROUNDS && decoded.indexOf('%') >= 0; round++) {
      try {
        decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        break;
      }
    }
    StringBuilder out = new StringBuilder(decoded.length());
    for (String segment : decoded.split("/")) {
      int semicolon = segment.indexOf(';');
      String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
      if (!name.isEmpty()) {
        out.append('/').append(name);
      }
    }
    return out.isEmpty() ? "/" : out.toString();
  }
}
