package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.StacklessClosedChannelException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The bounded reason label of a failed handshake, and the handshake timeout tied to idle_timeout_s. */
class HandshakeFailuresTest {
  @Test
  void namesEachFailureFromAFixedSetWhateverItsWords() {
    assertThat(HandshakeFailures.reason(new SslHandshakeTimeoutException("handshake timed out after 1000ms")))
        .isEqualTo("timeout");
    assertThat(HandshakeFailures.reason(new NotSslRecordException("not an SSL/TLS record: 474554202f"))).isEqualTo("not_tls");
    assertThat(HandshakeFailures.reason(new DecoderException(new NotSslRecordException("x")))).isEqualTo("not_tls");
    assertThat(HandshakeFailures.reason(StacklessClosedChannelException.newInstance(HandshakeFailuresTest.class, "t")))
        .isEqualTo("closed");
    assertThat(HandshakeFailures.reason(new SSLHandshakeException("Empty client certificate chain"))).isEqualTo("refused");
    assertThat(HandshakeFailures.reason(new SSLException("bad record"))).isEqualTo("other");
    assertThat(HandshakeFailures.reason(new IOException("Connection reset by peer"))).isEqualTo("other");
  }

  @Test
  void aHandshakeMayTakeTheIdleTimeoutButNeverMoreThanTenSeconds() {
    assertThat(ListenerTls.handshakeTimeoutS(1)).isEqualTo(1);
    assertThat(ListenerTls.handshakeTimeoutS(10)).isEqualTo(10);
    assertThat(ListenerTls.handshakeTimeoutS(60)).isEqualTo(10);
  }
}
