package io.reliapi.http;

/**
 * An idempotency key the gateway forwards for a call of its own made from a client's request (a continuation, a
 * call without reasoning items): the client's key with a suffix, so the provider neither takes the call for a
 * repeat of the client's first one nor refuses the key's reuse with another body. A key too long for its suffix
 * keeps within the length a key may have by standing in for the client's key with its SHA-256. Pure.
 */
public final class DerivedKey {
  /** The longest idempotency key, in characters (SPEC §3.4). */
  public static final int MAX_LENGTH = 255;

  private DerivedKey() {}

  public static String of(String key, String suffix) {
    return (key.length() + suffix.length() <= MAX_LENGTH ? key : new Digest().add(key).hex()) + suffix;
  }
}
