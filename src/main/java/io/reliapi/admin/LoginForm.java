package io.reliapi.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads the status page's login form ({@code application/x-www-form-urlencoded}). Pure. */
final class LoginForm {
  private LoginForm() {}

  /** Returns the form's {@code key} field, decoded, or null when there is none or it is not well formed. */
  static String key(String body) {
    for (String field : body.split("&")) {
      int eq = field.indexOf('=');
      if (eq > 0 && field.substring(0, eq).equals("key")) {
        try {
          return URLDecoder.decode(field.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }
}
