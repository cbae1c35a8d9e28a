package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void theFixedSetAndWhatConnectionNamesStopHereInAnyCase() {
    Predicate<String> hop = HopByHop.of(Headers.of("Connection", "close, X-Hop", "connection", "x-two"));
    for (String name : new String[] {"Proxy-Authorization", "keep-alive", "TE", "Upgrade", "x-hop", "X-Two"}) {
      assertThat(hop.test(name)).as(name).isTrue();
    }
    assertThat(hop.test("Cookie")).isFalse();
    assertThat(HopByHop.of(Headers.of("Connection", "keep-alive")).test("keep-alive")).isTrue();
    assertThat(HopByHop.of(Headers.of("Connection", "keep-alive")).test("x-hop")).isFalse();
  }

  @Test
  void headersNamingNoFieldInConnectionShareOneTestMadeOnce() {
    Predicate<String> plain = HopByHop.of(Headers.of("Accept", "*/*"));
    assertThat(HopByHop.of(Headers.of("Connection", "close"))).isSameAs(plain);
    assertThat(plain.test("Transfer-Encoding")).isTrue();
    assertThat(plain.test("Accept")).isFalse();
  }
}
