package io.reliapi.testing;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;

/** Reads the host name a TLS client indicated (SNI) from the server's side of the session. */
final class RequestedServerName {
  private RequestedServerName() {}

  /** Returns the host name the client indicated, or "" when it sent none. */
  static String of(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      return extended.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
          .map(name -> ((SNIHostName) name).getAsciiName()).findFirst().orElse("");
    }
    return "";
  }
}
