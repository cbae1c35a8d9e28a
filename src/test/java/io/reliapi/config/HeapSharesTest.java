package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeapSharesTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void aSmallHeapGivesEachStoreAnEighthAndTheBufferedBytesAQuarter() {
    assertThat(HeapShares.storeDefault(256 * MIB)).isEqualTo(32 * MIB);
    assertThat(HeapShares.bufferedDefault(256 * MIB)).isEqualTo(64 * MIB);
  }

  @Test
  void aLargeHeapKeepsTheStoresAt256MiB() {
    assertThat(HeapShares.storeDefault(6144 * MIB)).isEqualTo(256 * MIB);
    assertThat(HeapShares.bufferedDefault(6144 * MIB)).isEqualTo(1536 * MIB);
  }

  @Test
  void theDefaultsNeverOvercommitAnyHeap() {
    for (long heap : new long[] {64 * MIB, 256 * MIB, 1024 * MIB, 16384 * MIB}) {
      assertThat(HeapShares.overcommitted(server(HeapShares.storeDefault(heap), HeapShares.bufferedDefault(heap)),
          true, heap)).isEmpty();
    }
  }

  @Test
  void explicitBoundsOverThreeQuartersOfTheHeapAreNamedInTheWarning() {
    ServerConfig server = server(256 * MIB, 128 * MIB);

    Optional<String> warning = HeapShares.overcommitted(server, true, 512 * MIB);

    assertThat(warning).hasValueSatisfying(w -> assertThat(w)
        .contains("server.cache_max_bytes + server.idempotency_max_bytes + server.max_buffered_bytes (640 MiB)",
            "maximum heap (512 MiB)", "-Xmx"));
  }

  @Test
  void withRedisTheStoresAreNotInTheHeapAndOnlyTheBufferedBytesCount() {
    ServerConfig server = server(256 * MIB, 128 * MIB);

    assertThat(HeapShares.overcommitted(server, false, 512 * MIB)).isEmpty();
    assertThat(HeapShares.overcommitted(server(256 * MIB, 400 * MIB), false, 512 * MIB))
        .hasValueSatisfying(w -> assertThat(w).startsWith("server.max_buffered_bytes (400 MiB)"));
  }

  private static ServerConfig server(long eachStore, long buffered) {
    ServerConfig defaults = new ServerConfig("127.0.0.1", 0, 1024, 1024, 1000, 60, 0, eachStore, eachStore);
    return new ServerConfig(defaults.host(), defaults.port(), defaults.maxBodyBytes(), defaults.maxResponseBytes(),
        defaults.deadlineMs(), defaults.idleTimeoutS(), defaults.drainTimeoutMs(), eachStore, eachStore, false,
        defaults.bodyTimeoutMs(), Optional.empty(), buffered, defaults.maxConnections(),
        defaults.transport(), defaults.tls());
  }
}
