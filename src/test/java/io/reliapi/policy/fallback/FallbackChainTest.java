package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackChainTest {
  private static Map<String, TargetConfig> targets(String yaml) {
    return ConfigLoader.parse(yaml, name -> null).targets();
  }

  private static java.util.List<String> names(Map<String, TargetConfig> targets, String first) {
    return FallbackChain.of(targets, first).stream().map(TargetConfig::name).toList();
  }

  @Test
  void isJustTheTargetWithoutFallbacks() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1"}
        """);
    assertThat(names(targets, "a")).containsExactly("a");
  }

  @Test
  void listsFallbacksInOrderFollowingEachOnesOwnFallbacksFirst() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", fallback_targets: [b, c]}
          b: {base_url: "http://127.0.0.1:2", fallback_targets: [d]}
          c: {base_url: "http://127.0.0.1:3"}
          d: {base_url: "http://127.0.0.1:4"}
        """);
    assertThat(names(targets, "a")).containsExactly("a", "b", "d", "c");
    assertThat(names(targets, "b")).containsExactly("b", "d");
  }

  @Test
  void triesATargetReachedTwiceOnlyOnce() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", fallback_targets: [b, c]}
          b: {base_url: "http://127.0.0.1:2", fallback_targets: [c]}
          c: {base_url: "http://127.0.0.1:3"}
        """);
    assertThat(names(targets, "a")).containsExactly("a", "b", "c");
  }
}
