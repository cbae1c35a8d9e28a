package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The longest stream a request to each target may reach, through its fallbacks and context fallbacks. */
class StreamReachTest {
  private static Map<String, TargetConfig> targets(String yaml) {
    return ConfigLoader.parse(yaml, name -> null).targets();
  }

  @Test
  void aCycleThroughContextFallbacksEndsAndEachSeesTheLongestOnIt() {
    var longest = StreamReach.longestMs(targets("""
        targets:
          a:
            base_url: "http://127.0.0.1:1"
            stream_max_s: 10
            llm: {provider: openai, default_model: gpt-4o-mini, context_fallback: [b]}
          b:
            base_url: "http://127.0.0.1:2"
            stream_max_s: 30
            llm: {provider: openai, default_model: gpt-4o, context_fallback: [a]}
          c: {base_url: "http://127.0.0.1:3", stream_max_s: 5}
        """).values());

    assertThat(longest).containsEntry("a", 30_000L).containsEntry("b", 30_000L).containsEntry("c", 5_000L);
  }

  @Test
  void aContextFallbackAndWhatItFallsBackToCountFromAnyTargetOnTheChain() {
    var longest = StreamReach.longestMs(targets("""
        targets:
          a:
            base_url: "http://127.0.0.1:1"
            stream_max_s: 10
            fallback_targets: [b]
            llm: {provider: openai, default_model: gpt-4o-mini}
          b:
            base_url: "http://127.0.0.1:2"
            llm: {provider: openai, default_model: gpt-4o-mini, context_fallback: [big]}
          big:
            base_url: "http://127.0.0.1:3"
            fallback_targets: [d]
            llm: {provider: openai, default_model: gpt-4o}
          d:
            base_url: "http://127.0.0.1:4"
            stream_max_s: 60
            llm: {provider: openai, default_model: gpt-4o}
          alone: {base_url: "http://127.0.0.1:5"}
        """).values());

    assertThat(longest).containsEntry("a", 60_000L).containsEntry("b", 60_000L).containsEntry("big", 60_000L)
        .containsEntry("d", 60_000L).containsEntry("alone", 0L);
  }

  @Test
  void aTargetNotInTheConfigIsReachedNowhere() {
    Map<String, TargetConfig> targets = new HashMap<>(targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", stream_max_s: 10, fallback_targets: [gone]}
          gone: {base_url: "http://127.0.0.1:2", stream_max_s: 90}
        """));
    targets.remove("gone");

    assertThat(StreamReach.longestMs(targets.values())).containsExactly(Map.entry("a", 10_000L));
  }
}
