package io.reliapi.config;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM private key the way the TLS client will (Vert.x's {@code PemKeyCertOptions}: the first block labelled
 * {@code PRIVATE KEY} (RSA or EC, PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1), its body
 * plain Base64), so that a key the client cannot use is refused when the config is loaded: such a key would otherwise
 * fail every connection of the target, and the breaker, not the operator, would be the first to know.
 */
final class PemKey {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** DER of the algorithm identifiers a PKCS#1 or SEC1 key is wrapped in to be read as PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemKey() {}

  /** Returns the key in {@code pem}, or empty when there is none the TLS client can read (encrypted, garbled, other). */
  static Optional<PrivateKey> read(String pem) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(block.group(2).replaceAll("\\s", ""));
      return Optional.of(switch (block.group(1)) {
        case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(pkcs8(RSA_ALGORITHM, der));
        case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC")
            .generatePrivate(pkcs8(sequence(EC_PUBLIC_KEY, sec1Curve(der)), der));
        default -> pkcs8RsaOrEc(der);
      });
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /** Returns whether {@code key} is the private half of {@code certificateKey}: what it signs, that key verifies. */
  static boolean matches(PrivateKey key, PublicKey certificateKey) {
    byte[] probe = "reliapi key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8RsaOrEc(byte[] der) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  /** The curve OID of a SEC1 key: {@code SEQUENCE {INTEGER 1, OCTET STRING key, [0] {OID curve}, ...}}. */
  private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
    int at = contentStart(der, 0);
    at = skip(der, at);
    at = skip(der, at);
    if (at >= der.length || der[at] != (byte) 0xa0) {
      throw new GeneralSecurityException("SEC1 key without its curve");
    }
    int curve = contentStart(der, at);
    return java.util.Arrays.copyOfRange(der, curve, skip(der, curve));
  }

  private static PKCS8EncodedKeySpec pkcs8(byte[] algorithm, byte[] key) {
    return new PKCS8EncodedKeySpec(sequence(VERSION_0, algorithm, tlv(0x04, key)));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (value.length < 0x80) {
      out.write(value.length);
    } else {
      byte[] length = java.math.BigInteger.valueOf(value.length).toByteArray();
      int start = length[0] == 0 ? 1 : 0;
      out.write(0x80 | (length.length - start));
      out.write(length, start, length.length - start);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** Returns where the content of the element at {@code at} starts. */
  private static int contentStart(byte[] der, int at) throws GeneralSecurityException {
    if (at + 1 >= der.length) {
      throw new GeneralSecurityException("truncated DER");
    }
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? at + 2 : at + 2 + (first & 0x7f);
  }

  /** Returns where the element after the one at {@code at} starts. */
  private static int skip(byte[] der, int at) throws GeneralSecurityException {
    int start = contentStart(der, at);
    int first = der[at + 1] & 0xff;
    long length = first;
    if (first >= 0x80) {
      length = 0;
      for (int i = at + 2; i < start; i++) {
        length = (length << 8) | (der[i] & 0xff);
      }
    }
    if (start + length > der.length) {
      throw new GeneralSecurityException("truncated DER");
    }
    return (int) (start + length);
  }
}
