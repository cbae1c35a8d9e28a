package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The state a request to force a circuit breaker asks for. */
class AdminActionsTest {

  private static String state(String body) {
    return AdminActions.requestedState(Json.parseOrNull(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aBreakerIsForcedOpenOrClosed() {
    assertThat(state("{\"state\": \"open\"}")).isEqualTo("open");
    assertThat(state("{\"state\": \"closed\", \"deployment\": \"eu\"}")).isEqualTo("closed");
  }

  @Test
  void anyOtherStateOrBodyAsksForNothing() {
    assertThat(state("{\"state\": \"half_open\"}")).isNull();
    assertThat(state("{\"state\": \"OPEN\"}")).isNull();
    assertThat(state("{}")).isNull();
    assertThat(state("[\"open\"]")).isNull();
    assertThat(AdminActions.requestedState(null)).isNull();
  }
}
