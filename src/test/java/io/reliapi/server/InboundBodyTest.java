package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A body's buffer is never sized from what its head announces beyond a small bound. */
class InboundBodyTest {

  @Test
  void startsABodyAnnouncedLargeInASmallBuffer() {
    assertThat(InboundBody.initialCapacity(10L << 20)).isEqualTo(InboundBody.INITIAL_CAPACITY_MAX);
    assertThat(InboundBody.initialCapacity(Long.MAX_VALUE)).isEqualTo(16 * 1024);
  }

  @Test
  void startsASmallOrUnannouncedBodyInAFewHundredBytes() {
    assertThat(InboundBody.initialCapacity(1000)).isEqualTo(1000);
    assertThat(InboundBody.initialCapacity(3)).isEqualTo(256);
    assertThat(InboundBody.initialCapacity(-1)).isEqualTo(256);
  }
}
