package io.reliapi.config;

import java.util.Optional;

/**
 * Requests and tokens (prompt + completion) per sliding minute, for a client's LLM calls
 * ({@code clients[].limits}) or a target's ({@code llm.limits}); at least one is set.
 */
public record LlmLimitsConfig(Optional<Long> rpm, Optional<Long> tpm) {}
