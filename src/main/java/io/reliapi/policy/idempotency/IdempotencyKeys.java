package io.reliapi.policy.idempotency;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.DerivedKey;
import io.reliapi.http.HeaderLines;
import java.util.List;
import java.util.Optional;

/**
 * Reads the idempotency key of a request (SPEC §3.4): the {@code Idempotency-Key} header or the
 * {@code idempotency_key} field, 1–255 visible ASCII characters, where the IETF draft's quoted form
 * {@code "abc"} is the same key as {@code abc}. A header and a field that disagree are an error, and so are two
 * {@code Idempotency-Key} lines with different keys: which one keys the request would depend on who reads it (the
 * gateway read the first, an upstream or another proxy may read the last).
 */
public final class IdempotencyKeys {
  /** The longest key, in characters. */
  public static final int MAX_LENGTH = DerivedKey.MAX_LENGTH;

  private IdempotencyKeys() {}

  /** Returns the key of the request's {@code Idempotency-Key} lines (every one, in order) and its field. */
  public static Optional<String> resolveLines(List<String> headerLines, String field) {
    if (!HeaderLines.agree(headerLines, IdempotencyKeys::valid)) {
      throw invalid("The request carries more than one Idempotency-Key header, with different keys.");
    }
    return resolve(headerLines.isEmpty() ? null : headerLines.get(0), field);
  }

  public static Optional<String> resolve(String header, String field) {
    Optional<String> fromHeader = Optional.ofNullable(header).map(IdempotencyKeys::valid);
    Optional<String> fromField = Optional.ofNullable(field).map(IdempotencyKeys::valid);
    if (fromHeader.isPresent() && fromField.isPresent() && !fromHeader.get().equals(fromField.get())) {
      throw invalid("The Idempotency-Key header and the idempotency_key field differ.");
    }
    return fromHeader.or(() -> fromField);
  }

  private static String valid(String raw) {
    String key = raw;
    if (key.length() >= 2 && key.charAt(0) == '"' && key.charAt(key.length() - 1) == '"') {
      key = key.substring(1, key.length() - 1);
    }
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      throw invalid("An idempotency key has 1 to 255 characters.");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw invalid("An idempotency key uses visible ASCII characters only, without spaces.");
      }
    }
    return key;
  }

  private static GatewayException invalid(String message) {
    return GatewayException.of(ErrorCode.IDEMPOTENCY_KEY_INVALID, message);
  }
}
