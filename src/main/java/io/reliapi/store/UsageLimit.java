package io.reliapi.store;

/**
 * One owner's limits per sliding minute: {@code rpm} calls and {@code tpm} tokens, each 0 when that kind is
 * not limited. {@code name} says whose they are: {@code client:<name>} or {@code target:<name>}.
 */
public record UsageLimit(String name, long rpm, long tpm) {}
