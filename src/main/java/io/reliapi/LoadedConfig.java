package io.reliapi;

import io.reliapi.config.GatewayConfig;

/** A validated config and the digest of the text it was read from (12 hex digits of its SHA-256). */
public record LoadedConfig(GatewayConfig config, String digest) {}
