package io.reliapi.config;

import static io.reliapi.config.ConfigLoaderTest.parse;
import static io.reliapi.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.CircuitConfig.WindowType;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deployments, their cooldown, hedging and the breaker's rate rules, as the loader reads and checks them. */
class DeploymentConfigTest {

  @Test
  void deploymentsTakeTheTargetsBaseUrlAndAuthUnlessTheyNameTheirOwn() {
    TargetConfig target = parse("""
        targets:
          api:
            base_url: https://a.example.com/v1
            auth: {type: bearer_env, env_var: API_KEY}
            deployments:
              - {name: east}
              - {name: west, base_url: https://west.example.com, auth: {type: bearer_env, env_var: OPENAI_API_KEY}, weight: 3}
        """).targets().get("api");
    assertThat(target.deployments()).hasSize(2);
    DeploymentConfig east = target.deployments().get(0);
    assertThat(east.baseUrl()).isEqualTo(URI.create("https://a.example.com/v1"));
    assertThat(east.auth().orElseThrow().secret().value()).isEqualTo("k-api");
    assertThat(east.weight()).isEqualTo(1);
    DeploymentConfig west = target.deployments().get(1);
    assertThat(west.baseUrl()).isEqualTo(URI.create("https://west.example.com"));
    assertThat(west.auth().orElseThrow().secret().value()).isEqualTo("sk-test");
    assertThat(west.weight()).isEqualTo(3);
    assertThat(target.deploymentCooldownS()).isEqualTo(10);
    assertThat(target.forDeployment(west).baseUrl()).isEqualTo(west.baseUrl());
    assertThat(target.forDeployment(west).auth()).isEqualTo(west.auth());
  }

  @Test
  void aTargetWhoseDeploymentsAllNameABaseUrlNeedsNoneOfItsOwn() {
    TargetConfig target = parse("""
        targets:
          api:
            deployments: [{name: a, base_url: "http://127.0.0.1:1"}, {name: b, base_url: "http://127.0.0.1:2"}]
        """).targets().get("api");
    assertThat(target.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:1"));
  }

  @Test
  void aDeploymentWithoutABaseUrlNeedsTheTargetsOwn() {
    assertThat(problems("""
        targets:
          api:
            deployments: [{name: a, base_url: "http://127.0.0.1:1"}, {name: b}]
        """)).containsExactly("targets.api.deployments[1].base_url: is required (got nothing)");
  }

  @Test
  void deploymentNamesAreCheckedAndUnique() {
    assertThat(problems("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            deployments: [{name: a}, {name: a}, {name: "b c"}, {weight: 0}]
        """)).containsExactlyInAnyOrder(
        "targets.api.deployments[1].name: deployment names must be unique within their target (got \"a\")",
        "targets.api.deployments[2].name: deployment names use only letters, digits, '_' and '-' (at most 64) "
            + "(got \"b c\")",
        "targets.api.deployments[3].name: is required (got nothing)",
        "targets.api.deployments[3].weight: must be an integer from 1 to 1000 (got 0)");
  }

  @Test
  void aModelPerDeploymentIsForLlmTargetsOnlyAndTheCooldownForTargetsWithDeployments() {
    assertThat(problems("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            deployment_cooldown_s: 5
            deployments: [{name: a, model: gpt-4o, weigth: 2}]
        """)).containsExactlyInAnyOrder(
        "targets.api.deployments[0].model: only applies to a target with an llm block (got \"gpt-4o\")",
        "targets.api.deployments[0].weigth: unknown key, did you mean \"weight\"?");
    assertThat(problems("""
        targets:
          api: {base_url: "http://127.0.0.1:1", deployment_cooldown_s: 5}
        """)).containsExactly("targets.api.deployment_cooldown_s: only applies to a target with deployments (got 5)");
    assertThat(problems("""
        targets:
          api: {base_url: "http://127.0.0.1:1", deployments: []}
        """)).hasSize(1).allSatisfy(p -> assertThat(p).startsWith("targets.api.deployments: must list at least one"));
  }

  @Test
  void aHedgeNeedsExactlyOneDelay() {
    TargetConfig target = parse("""
        targets:
          api: {base_url: "http://127.0.0.1:1", hedge: {after_percentile: 95}}
        """).targets().get("api");
    assertThat(target.hedge()).contains(new HedgeConfig(Optional.empty(), Optional.of(95.0), false));
    assertThat(problems("""
        targets:
          api: {base_url: "http://127.0.0.1:1", hedge: {after_ms: 100, after_percentile: 95, llm: true}}
        """)).containsExactlyInAnyOrder(
        "targets.api.hedge: needs exactly one of after_ms and after_percentile (got \"a object\")",
        "targets.api.hedge.llm: only applies to a target with an llm block (got true)");
  }

  @Test
  void theRateRulesDefaultToACountWindowOfTwentyCallsWithTenAtLeast() {
    CircuitConfig circuit = parse("""
        targets:
          api: {base_url: "http://127.0.0.1:1", circuit: {failure_rate_percent: 25}}
        """).targets().get("api").circuit();
    var rates = circuit.rates().orElseThrow();
    assertThat(rates.type()).isEqualTo(WindowType.COUNT);
    assertThat(rates.size()).isEqualTo(20);
    assertThat(rates.minCalls()).isEqualTo(10);
    assertThat(rates.failureRatePercent()).contains(25.0);
    assertThat(rates.slowCallMs()).isEmpty();
    assertThat(circuit.errorThreshold()).isEqualTo(5);
  }

  @Test
  void aTimeWindowAndASlowCallRuleAreRead() {
    var rates = parse("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            circuit: {slow_call_ms: 800, slow_call_rate_percent: 40, window: {type: time, size: 30, min_calls: 5}}
        """).targets().get("api").circuit().rates().orElseThrow();
    assertThat(rates.type()).isEqualTo(WindowType.TIME);
    assertThat(rates.size()).isEqualTo(30);
    assertThat(rates.minCalls()).isEqualTo(5);
    assertThat(rates.failureRatePercent()).isEmpty();
    assertThat(rates.slowCallMs()).contains(800L);
    assertThat(rates.slowCallRatePercent()).isEqualTo(40.0);
  }

  @Test
  void aWindowWithoutARuleAndASlowRateWithoutATimeAreProblems() {
    assertThat(problems("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            circuit: {slow_call_rate_percent: 40, window: {size: 5}}
        """)).containsExactlyInAnyOrder(
        "targets.api.circuit.slow_call_rate_percent: needs slow_call_ms, the time from which a call counts as slow (got 40)",
        "targets.api.circuit.window: needs failure_rate_percent or slow_call_ms, the rule the window is for (got \"a object\")");
    assertThat(problems("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            circuit: {failure_rate_percent: 20, window: {size: 5, min_calls: 10}}
        """)).containsExactly(
        "targets.api.circuit.window.min_calls: must not exceed the count window's size (5) (got 10)");
  }
}
