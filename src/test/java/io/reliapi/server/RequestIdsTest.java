package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void keepsASaneClientIdAndReplacesAnythingElse() {
    assertThat(RequestIds.from("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
    assertThat(RequestIds.from("x".repeat(128))).hasSize(128);
    assertThat(RequestIds.from("x".repeat(129))).matches("req_[0-9a-f]{16}");
    assertThat(RequestIds.from("has space")).matches("req_[0-9a-f]{16}");
    assertThat(RequestIds.from("<script>")).matches("req_[0-9a-f]{16}");
    assertThat(RequestIds.from("")).matches("req_[0-9a-f]{16}");
    assertThat(RequestIds.from(null)).matches("req_[0-9a-f]{16}");
    assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
  }
}
