package io.reliapi.config;

import java.util.regex.Pattern;

/**
 * Which hosts a TLS client names in its handshake (SNI), for upstreams and Redis alike. The JDK's engine, left to
 * itself, names only host names with a dot, so a single-label name ({@code localhost}, a Kubernetes service, an
 * internal alias) would reach a server that picks its certificate by name, or an SNI-routing proxy, nameless.
 */
public final class ServerNameIndication {
  /** An IPv4 literal as a URL's host ("127.0.0.1", or the short forms "127.1" some parsers accept). */
  private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

  private ServerNameIndication() {}

  /**
   * Returns whether the handshake names {@code host} (a URL's host, an IPv6 address in brackets or not). An address
   * is never a server name (RFC 6066), and a name ending in a dot is left to the JDK, which drops the dot.
   */
  public static boolean names(String host) {
    return !host.isEmpty() && !host.endsWith(".") && host.indexOf(':') < 0 && !host.startsWith("[")
        && !IPV4.matcher(host).matches();
  }
}
