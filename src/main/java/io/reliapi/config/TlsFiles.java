package io.reliapi.config;

import java.util.Optional;

/**
 * The PEM files of a {@code tls} block ({@code redis.tls}, {@code targets.<name>.tls}): the CA(s) that signed the
 * servers' certificates, and a client certificate with its key (both or neither).
 */
public record TlsFiles(Optional<String> caFile, Optional<String> certFile, Optional<String> keyFile) {}
