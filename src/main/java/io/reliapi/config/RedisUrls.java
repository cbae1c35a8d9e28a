package io.reliapi.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Reads Redis URLs ({@code redis://[user[:password]@]host[:port][/db]}, {@code rediss://} for TLS) without
 * ever repeating the password they may hold: problems name the URL with its password replaced.
 */
public final class RedisUrls {
  private static final String HIDDEN = "***";

  private RedisUrls() {}

  /** Returns the rule {@code url} breaks, if any. */
  public static Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("must be a URL such as redis://host:6379/0");
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      return Optional.of("must start with redis:// or rediss://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("must name a host, as in redis://host:6379/0");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      return Optional.of("must not carry a query or fragment (give the password in the URL or in redis.password_env)");
    }
    if (!uri.getPath().isEmpty() && !uri.getPath().matches("/\\d{0,2}")) {
      return Optional.of("its path may only be a database number, as in /0");
    }
    return Optional.empty();
  }

  /** Returns whether {@code url} asks for TLS ({@code rediss://}). */
  static boolean tls(String url) {
    return url.startsWith("rediss://");
  }

  /** Returns the database number a URL selects (0 when it names none or cannot be read). */
  static int database(String url) {
    try {
      String path = new URI(url).getPath();
      return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    } catch (URISyntaxException | NumberFormatException e) {
      return 0;
    }
  }

  /** Returns {@code url} with the password of its user part and its query, if any, replaced by {@code ***}. */
  public static String redacted(String url) {
    int query = url.indexOf('?');
    if (query >= 0) {
      return redacted(url.substring(0, query)) + "?" + HIDDEN;
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
    return url.substring(0, scheme + 3) + (colon < 0 ? user : user + ":" + HIDDEN) + url.substring(at);
  }
}
