package io.reliapi.admin;

import java.util.Locale;

/**
 * Whether the browser reached the gateway over HTTPS: on an HTTPS listener ({@code server.tls}) the connection says so;
 * behind a TLS-terminating proxy only the proxy's {@code X-Forwarded-Proto} or {@code Forwarded: proto=} does. The session cookie is then
 * marked {@code Secure}, so the browser never sends it over plain HTTP. Trusting these headers is safe here: a
 * client that sends them over plain HTTP only makes its own cookie unusable there. Pure.
 */
final class HttpsOrigin {
  private HttpsOrigin() {}

  static boolean of(boolean tls, String forwardedProto, String forwarded) {
    if (tls) {
      return true;
    }
    if (forwardedProto != null && firstItem(forwardedProto).equalsIgnoreCase("https")) {
      return true;
    }
    return forwarded != null && forwardedProtoIsHttps(firstItem(forwarded));
  }

  /** The first (client-most) element of a comma-separated header, trimmed. */
  private static String firstItem(String header) {
    int comma = header.indexOf(',');
    return (comma < 0 ? header : header.substring(0, comma)).trim();
  }

  /** Reads {@code proto=https} (quoted or not) among the {@code ;}-separated pairs of a Forwarded element. */
  private static boolean forwardedProtoIsHttps(String element) {
    for (String pair : element.split(";")) {
      String[] nameValue = pair.trim().split("=", 2);
      if (nameValue.length == 2 && nameValue[0].trim().toLowerCase(Locale.ROOT).equals("proto")) {
        return nameValue[1].trim().replace("\"", "").equalsIgnoreCase("https");
      }
    }
    return false;
  }
}
