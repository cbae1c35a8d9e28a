package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import org.junit.jupiter.api.Test;

/** A target's hedge latencies outlive a reload that leaves its hedge block and upstreams alone, and only that. */
class HedgeLatenciesTest {
  static TargetConfig api(String target) {
    return ConfigLoader.parse("targets:\n  api: {" + target + "}\n", name -> null).targets().get("api");
  }

  @Test
  void keepsATargetsWindowWhileItsHedgeAndUpstreamsAreUnchanged() {
    HedgeLatencies latencies = new HedgeLatencies();
    LatencyWindow first = latencies.of(api("base_url: \"http://a\", hedge: {after_percentile: 95}"));
    assertThat(first).isNotNull();
    assertThat(latencies.of(api("base_url: \"http://a\", hedge: {after_percentile: 95}, timeout_ms: 9000")))
        .isSameAs(first);

    LatencyWindow moved = latencies.of(api("base_url: \"http://b\", hedge: {after_percentile: 95}"));
    assertThat(moved).isNotSameAs(first);
    LatencyWindow rehedged = latencies.of(api("base_url: \"http://b\", hedge: {after_percentile: 99}"));
    assertThat(rehedged).isNotSameAs(moved);
    LatencyWindow split = latencies.of(api("base_url: \"http://b\", hedge: {after_percentile: 99}, "
        + "deployments: [{name: x}, {name: y}]"));
    assertThat(split).isNotSameAs(rehedged);
  }

  @Test
  void anEditOfADeploymentsPriceOrWeightKeepsTheWindowAndOneOfItsModelDoesNot() {
    HedgeLatencies latencies = new HedgeLatencies();
    String llm = "base_url: \"http://a\", hedge: {after_percentile: 95}, llm: {provider: openai, default_model: m, "
        + "prices: {m: {input_per_1m: %s, output_per_1m: 1}}}, deployments: [{name: x, model: %s, weight: %d}]";
    LatencyWindow first = latencies.of(api(llm.formatted("1", "m", 1)));
    assertThat(first).isNotNull();
    assertThat(latencies.of(api(llm.formatted("2", "m", 3)))).as("price and weight").isSameAs(first);
    assertThat(latencies.of(api(llm.formatted("2", "n", 3)))).as("model").isNotSameAs(first);
  }

  @Test
  void aTargetThatDoesNotHedgeAtAPercentileHasNoWindow() {
    HedgeLatencies latencies = new HedgeLatencies();
    assertThat(latencies.of(api("base_url: \"http://a\""))).isNull();
    assertThat(latencies.of(api("base_url: \"http://a\", hedge: {after_ms: 200}"))).isNull();
  }
}
