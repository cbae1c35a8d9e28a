package io.reliapi.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest over a sequence of parts, each written with its length first, so no two different
 * sequences can run together into the same input.
 */
public final class Digest {
  private final MessageDigest sha256;

  public Digest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public Digest add(String part) {
    return add(part == null ? null : part.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a part; null (absent) and empty are told apart. */
  public Digest add(byte[] part) {
    long length = part == null ? -1 : part.length;
    for (int shift = 56; shift >= 0; shift -= 8) {
      sha256.update((byte) (length >>> shift));
    }
    if (part != null) {
      sha256.update(part);
    }
    return this;
  }

  /** Returns the digest in lower-case hex; the digest cannot be used afterwards. */
  public String hex() {
    return HexFormat.of().formatHex(bytes());
  }

  /** Returns the digest's 32 bytes; the digest cannot be used afterwards. */
  public byte[] bytes() {
    return sha256.digest();
  }
}
