package io.reliapi.config;

import java.util.Optional;

/**
 * The credential the gateway adds to requests to a target. {@code header} is empty for {@code bearer_env},
 * where the provider adapter decides the header (Authorization for OpenAI-protocol, x-api-key for Anthropic).
 */
public record AuthConfig(Type type, Secret secret, Optional<String> header, String prefix) {

  public enum Type { BEARER_ENV, HEADER_ENV }
}
