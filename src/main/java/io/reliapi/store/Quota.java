package io.reliapi.store;

/** How much of one store a client may fill: {@code limit} in the store's unit (cache: bytes). */
public record Quota(String client, long limit) {}
