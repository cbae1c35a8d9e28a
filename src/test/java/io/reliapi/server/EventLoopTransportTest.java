package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.ServerConfig.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which transport the event loops get for each {@code server.transport} on hosts that allow different ones. */
class EventLoopTransportTest {
  @Test
  void autoTakesTheFastestTheHostAllows() {
    assertThat(EventLoopTransport.candidates(Transport.AUTO, Set.of(Transport.IO_URING, Transport.EPOLL,
        Transport.NIO)::contains).getFirst()).isEqualTo(Transport.IO_URING);
    assertThat(EventLoopTransport.candidates(Transport.AUTO, Set.of(Transport.EPOLL, Transport.NIO)::contains)
        .getFirst()).isEqualTo(Transport.EPOLL);
    assertThat(EventLoopTransport.candidates(Transport.AUTO, Set.of(Transport.NIO)::contains).getFirst()).isEqualTo(Transport.NIO);
  }

  @Test
  void aNamedTransportIsTakenEvenWhenAFasterOneIsThere() {
    assertThat(EventLoopTransport.candidates(Transport.EPOLL, Set.of(Transport.IO_URING, Transport.EPOLL)::contains)
        .getFirst()).isEqualTo(Transport.EPOLL);
    assertThat(EventLoopTransport.candidates(Transport.NIO, Set.of(Transport.IO_URING, Transport.NIO)::contains)
        .getFirst()).isEqualTo(Transport.NIO);
  }

  @Test
  void aNamedTransportTheHostForbidsStopsTheStartWithItsName() {
    assertThatThrownBy(() -> EventLoopTransport.candidates(Transport.IO_URING, Set.of(Transport.EPOLL)::contains))
        .isInstanceOf(EventLoopTransport.Unavailable.class)
        .hasMessage("server.transport io_uring is not available on this host (use auto to take the fastest one"
            + " that is)");
  }

  @Test
  void nioIsAvailableEverywhere() {
    assertThat(EventLoopTransport.availableHere(Transport.NIO)).isTrue();
  }

  @Test
  void autoFallsBackToTheNextTransportWhenTheFastestCannotBuildItsEventLoops() {
    List<String> warnings = new ArrayList<>();
    var started = EventLoopTransport.start(Transport.AUTO, Set.of(Transport.IO_URING, Transport.EPOLL,
        Transport.NIO)::contains, transport -> {
          if (transport == Transport.IO_URING) {
            throw new IllegalStateException("failed to create a child event loop");
          }
          return "loops on " + transport.word();
        }, warnings::add);

    assertThat(started.transport()).isEqualTo(Transport.EPOLL);
    assertThat(started.loops()).isEqualTo("loops on epoll");
    assertThat(warnings).containsExactly("server.transport auto: the host allows io_uring but its event loops could"
        + " not start (failed to create a child event loop); using epoll");
  }

  @Test
  void autoBuildsOnlyTheFastestWhenItsEventLoopsStart() {
    List<Transport> built = new ArrayList<>();
    var started = EventLoopTransport.start(Transport.AUTO, Set.of(Transport.IO_URING, Transport.EPOLL)::contains,
        transport -> built.add(transport), warning -> { });

    assertThat(started.transport()).isEqualTo(Transport.IO_URING);
    assertThat(built).containsExactly(Transport.IO_URING);
  }

  @Test
  void aNamedTransportWhoseEventLoopsCannotBuildStopsTheStartWithItsName() {
    List<Transport> built = new ArrayList<>();
    assertThatThrownBy(() -> EventLoopTransport.start(Transport.IO_URING, Set.of(Transport.IO_URING,
        Transport.EPOLL)::contains, transport -> {
          built.add(transport);
          throw new IllegalStateException("failed to create a child event loop");
        }, warning -> { }))
        .isInstanceOf(EventLoopTransport.Unavailable.class)
        .hasMessageStartingWith("server.transport io_uring is not available on this host");
    assertThat(built).containsExactly(Transport.IO_URING);
  }
}
