package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.ServerConfig.Transport;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which transport the event loops get for each {@code server.transport} on hosts that allow different ones. */
class EventLoopTransportTest {
  @Test
  void autoTakesTheFastestTheHostAllows() {
    assertThat(EventLoopTransport.choose(Transport.AUTO, Set.of(Transport.IO_URING, Transport.EPOLL,
        Transport.NIO)::contains)).isEqualTo(Transport.IO_URING);
    assertThat(EventLoopTransport.choose(Transport.AUTO, Set.of(Transport.EPOLL, Transport.NIO)::contains))
        .isEqualTo(Transport.EPOLL);
    assertThat(EventLoopTransport.choose(Transport.AUTO, Set.of(Transport.NIO)::contains)).isEqualTo(Transport.NIO);
  }

  @Test
  void aNamedTransportIsTakenEvenWhenAFasterOneIsThere() {
    assertThat(EventLoopTransport.choose(Transport.EPOLL, Set.of(Transport.IO_URING, Transport.EPOLL)::contains))
        .isEqualTo(Transport.EPOLL);
    assertThat(EventLoopTransport.choose(Transport.NIO, Set.of(Transport.IO_URING, Transport.NIO)::contains))
        .isEqualTo(Transport.NIO);
  }

  @Test
  void aNamedTransportTheHostForbidsStopsTheStartWithItsName() {
    assertThatThrownBy(() -> EventLoopTransport.choose(Transport.IO_URING, Set.of(Transport.EPOLL)::contains))
        .isInstanceOf(EventLoopTransport.Unavailable.class)
        .hasMessage("server.transport io_uring is not available on this host (use auto to take the fastest one"
            + " that is)");
  }

  @Test
  void nioIsAvailableEverywhere() {
    assertThat(EventLoopTransport.availableHere(Transport.NIO)).isTrue();
  }
}
