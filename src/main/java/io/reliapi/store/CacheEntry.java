package io.reliapi.store;

import java.util.List;

/**
 * What the response cache holds under one key: a stored response, or, under the key of a response that
 * varies on further request headers, the names of those headers, which lead to the key of each variant.
 */
public sealed interface CacheEntry {

  /** Returns an estimate of the memory this entry holds, in bytes. */
  long weight();

  /** A cached response. */
  record Response(StoredReply reply) implements CacheEntry {
    @Override
    public long weight() {
      return reply.weight();
    }
  }

  /** The lower-case request header names (sorted) that the responses under this key vary on. */
  record Variants(List<String> headers) implements CacheEntry {
    public Variants {
      headers = List.copyOf(headers);
    }

    @Override
    public long weight() {
      return 64 + headers.stream().mapToLong(h -> 16 + 2L * h.length()).sum();
    }
  }
}
