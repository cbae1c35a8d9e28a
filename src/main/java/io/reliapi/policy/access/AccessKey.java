package io.reliapi.policy.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One secret key, kept only as its SHA-256 digest, and the key a request presents: {@code X-API-Key}, else
 * a bearer token in {@code Authorization}. Digests are compared with {@link MessageDigest#isEqual}, so the
 * time taken says nothing about how close a wrong key came.
 */
public final class AccessKey {
  private final byte[] digest;

  private AccessKey(byte[] digest) {
    this.digest = digest;
  }

  public static AccessKey of(String secret) {
    return new AccessKey(sha256(secret));
  }

  /** Returns whether the request's credentials present this key. */
  public boolean matches(String apiKeyHeader, String authorizationHeader) {
    String presented = presented(apiKeyHeader, authorizationHeader);
    return presented != null && !presented.isEmpty() && matches(sha256(presented));
  }

  boolean matches(byte[] presentedDigest) {
    return MessageDigest.isEqual(presentedDigest, digest);
  }

  /** Returns the key a request presents, or null: {@code X-API-Key}, else a bearer token. */
  static String presented(String apiKeyHeader, String authorizationHeader) {
    return apiKeyHeader != null ? apiKeyHeader.trim() : bearer(authorizationHeader);
  }

  /** Returns whether an {@code Authorization} header is of the bearer scheme, whatever its token. */
  public static boolean isBearer(String authorization) {
    return bearer(authorization) != null;
  }

  private static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
