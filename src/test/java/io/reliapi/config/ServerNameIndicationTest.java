package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which hosts a TLS handshake names (SNI): every host name, dotted or not, and never an address. */
class ServerNameIndicationTest {
  @Test
  void namesDottedAndSingleLabelHostNames() {
    assertThat(ServerNameIndication.names("api.openai.com")).isTrue();
    assertThat(ServerNameIndication.names("localhost")).isTrue();
    assertThat(ServerNameIndication.names("payments")).isTrue();
    assertThat(ServerNameIndication.names("10-0-0-1.internal")).isTrue();
  }

  @Test
  void neverNamesAnAddress() {
    assertThat(ServerNameIndication.names("127.0.0.1")).isFalse();
    assertThat(ServerNameIndication.names("127.1")).isFalse();
    assertThat(ServerNameIndication.names("[::1]")).isFalse();
    assertThat(ServerNameIndication.names("::1")).isFalse();
  }

  @Test
  void leavesANameEndingInADotToTheJdk() {
    assertThat(ServerNameIndication.names("api.openai.com.")).isFalse();
  }
}
