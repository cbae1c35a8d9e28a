package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpsOriginTest {
  @Test
  void aTlsConnectionIsHttps() {
    assertThat(HttpsOrigin.of(true, null, null)).isTrue();
  }

  @Test
  void plainHttpWithoutForwardingHeadersIsNot() {
    assertThat(HttpsOrigin.of(false, null, null)).isFalse();
    assertThat(HttpsOrigin.of(false, "http", "for=192.0.2.60;proto=http")).isFalse();
  }

  @Test
  void readsTheClientMostProtoOfXForwardedProto() {
    assertThat(HttpsOrigin.of(false, "https", null)).isTrue();
    assertThat(HttpsOrigin.of(false, "HTTPS, http", null)).isTrue();
    assertThat(HttpsOrigin.of(false, "http, https", null)).isFalse();
  }

  @Test
  void readsTheProtoPairOfTheFirstForwardedElement() {
    assertThat(HttpsOrigin.of(false, null, "for=192.0.2.60;proto=https;by=203.0.113.43")).isTrue();
    assertThat(HttpsOrigin.of(false, null, "Proto=\"HTTPS\"")).isTrue();
    assertThat(HttpsOrigin.of(false, null, "for=192.0.2.43, for=198.51.100.17;proto=https")).isFalse();
    assertThat(HttpsOrigin.of(false, null, "for=192.0.2.43")).isFalse();
  }
}
