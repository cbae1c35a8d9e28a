package io.reliapi.admin;

import java.util.Locale;

/**
 * Whether an admin action that only the status page's session cookie authenticates came from the page itself.
 * {@code SameSite=Strict} keeps the cookie off requests from other sites, but a page on the same site (another port
 * of the host, a sibling subdomain) still gets it sent with a plain form post, {@code text/plain} bodies included.
 * So such a write must say {@code Content-Type: application/json}, which a page of another origin can send only after
 * a CORS preflight the gateway never grants, and, where the browser says where it came from ({@code Sec-Fetch-Site}),
 * come from the same origin. Writes with the admin key in a header need neither: a browser never adds that header
 * for another page. Pure.
 */
final class SessionWrites {
  private SessionWrites() {}

  static boolean fromThePage(String contentType, String secFetchSite) {
    return json(contentType) && (secFetchSite == null || secFetchSite.trim().equalsIgnoreCase("same-origin"));
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String media = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return media.trim().toLowerCase(Locale.ROOT).equals("application/json");
  }
}
