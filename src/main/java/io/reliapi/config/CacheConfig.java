package io.reliapi.config;

/** Response cache of a target; {@code shared} lets every client read what another client stored. */
public record CacheConfig(boolean enabled, long ttlS, boolean shared) {}
