package io.reliapi.llm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a provider's error body says, reduced to its machine-readable type and code. The provider's message
 * is deliberately not kept: providers echo fragments of credentials in some messages (an OpenAI 401 names the
 * key's last characters), and the gateway's clients must never see the gateway's own secrets.
 */
public record ProviderError(Optional<String> type, Optional<String> code) {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final ProviderError NONE = new ProviderError(Optional.empty(), Optional.empty());

  public static ProviderError none() {
    return NONE;
  }

  /** Keeps {@code type} and {@code code} only when they are short identifiers. */
  public static ProviderError of(String type, String code) {
    return new ProviderError(token(type), token(code));
  }

  private static Optional<String> token(String value) {
    return value != null && TOKEN.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

  /** Returns a short description such as {@code rate_limit_error/rate_limit_exceeded}, or empty. */
  public Optional<String> describe() {
    if (type.isEmpty() && code.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(type.orElse("error") + code.map(c -> "/" + c).orElse(""));
  }
}
