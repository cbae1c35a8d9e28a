package io.reliapi.config;

import java.util.Optional;

/**
 * A target's {@code tls} block with the PEM text of its files, read once when the config is loaded (a reload reads
 * them again), so no connection reads a file and a rotated certificate is a changed target. The key is a secret:
 * {@link #toString()} names only the files.
 */
public record TargetTls(TlsFiles files, Optional<String> caPem, Optional<String> certPem, Optional<String> keyPem) {
  @Override
  public String toString() {
    return "TargetTls[" + files + "]";
  }
}
