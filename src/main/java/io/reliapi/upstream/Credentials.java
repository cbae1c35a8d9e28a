package io.reliapi.upstream;

import io.reliapi.config.AuthConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;

/** The header a target's {@code auth} block adds to every request sent to it. */
public final class Credentials {
  private Credentials() {}

  public static Headers forHttpTarget(TargetConfig target) {
    return target.auth().map(Credentials::header).orElse(Headers.empty());
  }

  /**
   * Returns the header of a provider that takes its key in a header of its own ({@code keyHeader}): the secret
   * alone there for {@code bearer_env}, else the header the {@code auth} block names.
   */
  public static Headers apiKey(TargetConfig target, String keyHeader) {
    if (target.auth().isEmpty()) {
      return Headers.empty();
    }
    AuthConfig auth = target.auth().get();
    return auth.type() == AuthConfig.Type.BEARER_ENV ? Headers.of(keyHeader, auth.secret().value()) : header(auth);
  }

  /** Returns the header an {@code auth} block sends: Bearer or its configured header. */
  public static Headers header(AuthConfig auth) {
    return switch (auth.type()) {
      case BEARER_ENV -> Headers.of("Authorization", "Bearer " + auth.secret().value());
      case HEADER_ENV -> Headers.of(auth.header().orElseThrow(), auth.prefix() + auth.secret().value());
    };
  }
}
