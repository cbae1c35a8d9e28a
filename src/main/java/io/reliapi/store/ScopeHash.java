package io.reliapi.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names an idempotency scope in logs without its client's key: a short HMAC-SHA-256 of it under a random secret of
 * this process. A plain hash of a guessable key ({@code order-123}) could be recovered by hashing guesses; keyed, it
 * cannot. The logs only need to tie one key's lines together within one instance's run, so the secret is made at
 * start and never shared: the same scope has another name on another instance, or after a restart.
 */
public final class ScopeHash {
  private static final byte[] SECRET = secret();

  private ScopeHash() {}

  private static byte[] secret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  public static String of(IdempotencyScope scope) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(scope.id().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
