package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which admin actions authenticated by the session cookie are taken as the status page's own. */
class SessionWritesTest {

  @Test
  void theStatusPagesJsonPostFromItsOwnOriginIsAWrite() {
    assertThat(SessionWrites.fromThePage("application/json", "same-origin")).isTrue();
    assertThat(SessionWrites.fromThePage("Application/JSON; charset=utf-8", " Same-Origin ")).isTrue();
    // A browser too old to say where a request came from still needs a preflight for this content type.
    assertThat(SessionWrites.fromThePage("application/json", null)).isTrue();
  }

  @Test
  void whatAFormOfAnotherPageCanSendIsNot() {
    assertThat(SessionWrites.fromThePage("text/plain", null)).isFalse();
    assertThat(SessionWrites.fromThePage("application/x-www-form-urlencoded", "same-origin")).isFalse();
    assertThat(SessionWrites.fromThePage("multipart/form-data; boundary=x", null)).isFalse();
    assertThat(SessionWrites.fromThePage("text/plain; application/json", null)).isFalse();
    assertThat(SessionWrites.fromThePage(null, "same-origin")).isFalse();
  }

  @Test
  void anotherOriginIsRefusedWhateverItsContentType() {
    assertThat(SessionWrites.fromThePage("application/json", "same-site")).isFalse();
    assertThat(SessionWrites.fromThePage("application/json", "cross-site")).isFalse();
    assertThat(SessionWrites.fromThePage("application/json", "none")).isFalse();
  }
}
