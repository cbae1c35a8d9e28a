package io.reliapi.config;

/** A token bucket: {@code rps} tokens per second refill, at most {@code burst} saved up. */
public record RateLimitConfig(double rps, int burst) {}
