package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which hosts a target's handshake names (SNI): every host name, dotted or not, and never an address. */
class ClientTlsTest {
  @Test
  void namesDottedAndSingleLabelHostNames() {
    assertThat(ClientTls.indicatesServerName("api.openai.com")).isTrue();
    assertThat(ClientTls.indicatesServerName("localhost")).isTrue();
    assertThat(ClientTls.indicatesServerName("payments")).isTrue();
    assertThat(ClientTls.indicatesServerName("10-0-0-1.internal")).isTrue();
  }

  @Test
  void neverNamesAnAddress() {
    assertThat(ClientTls.indicatesServerName("127.0.0.1")).isFalse();
    assertThat(ClientTls.indicatesServerName("127.1")).isFalse();
    assertThat(ClientTls.indicatesServerName("[::1]")).isFalse();
    assertThat(ClientTls.indicatesServerName("::1")).isFalse();
  }

  @Test
  void leavesANameEndingInADotToTheJdk() {
    assertThat(ClientTls.indicatesServerName("api.openai.com.")).isFalse();
  }
}
