package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.ClientConfig.Priority;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The overload keys: retry_budget, concurrency, clients[].priority and the request and token limits. */
class OverloadConfigTest {
  private static final Map<String, String> ENV = Map.of("K1", "key-one", "K2", "key-two");

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, ENV::get);
  }

  private static void assertProblems(String yaml, String... starts) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(ConfigException.class, e -> {
      for (String start : starts) {
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(start));
      }
    });
  }

  @Test
  void everyTargetHasTheDefaultRetryBudgetAndNoConcurrencyLimit() {
    TargetConfig api = parse("targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n").targets().get("api");
    assertThat(api.retryBudget()).isEqualTo(new RetryBudgetConfig(true, 20, 3, 10));
    assertThat(api.concurrency()).isEmpty();
  }

  @Test
  void retryBudgetAndConcurrencyAreReadWithTheirDefaults() {
    TargetConfig api = parse("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            retry_budget: {percent: 10, window_s: 30}
            concurrency: {min: 4, max: 64}
        """).targets().get("api");
    assertThat(api.retryBudget()).isEqualTo(new RetryBudgetConfig(true, 10, 3, 30));
    assertThat(api.concurrency()).contains(new ConcurrencyConfig(true, 4, 64, 100, 1000));
    assertThat(api.concurrency().get().initialLimit()).isEqualTo(4);
  }

  @Test
  void anEmptyConcurrencyBlockStartsAtEightPlacesOrAtItsMaximumWhenThatIsLower() {
    var targets = parse("""
        targets:
          open: {base_url: "http://127.0.0.1:1", concurrency: {}}
          small: {base_url: "http://127.0.0.1:1", concurrency: {max: 3}}
          big: {base_url: "http://127.0.0.1:1", concurrency: {min: 2000}}
        """).targets();
    assertThat(targets.get("open").concurrency()).contains(new ConcurrencyConfig(true, 8, 1000, 100, 1000));
    assertThat(targets.get("open").concurrency().get().initialLimit()).isEqualTo(8);
    assertThat(targets.get("small").concurrency()).contains(new ConcurrencyConfig(true, 3, 3, 100, 1000));
    assertThat(targets.get("big").concurrency()).contains(new ConcurrencyConfig(true, 2000, 2000, 100, 1000));
  }

  @Test
  void aFixedLimitStartsAtItsMaximum() {
    TargetConfig api = parse("""
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            retry_budget: {enabled: false}
            concurrency: {adaptive: false, max: 8, queue_size: 0, queue_timeout_ms: 50}
        """).targets().get("api");
    assertThat(api.retryBudget().enabled()).isFalse();
    assertThat(api.concurrency()).contains(new ConcurrencyConfig(false, 8, 8, 0, 50));
    assertThat(api.concurrency().get().initialLimit()).isEqualTo(8);
  }

  @Test
  void clientsHavePriorityAndLimitsAndLlmTargetsLimits() {
    GatewayConfig config = parse("""
        clients:
          - {name: web, key_env: K1}
          - {name: jobs, key_env: K2, priority: batch, limits: {tpm: 100000}}
        targets:
          openai:
            base_url: "http://127.0.0.1:1"
            llm: {provider: openai, default_model: gpt-4o-mini, limits: {rpm: 500, tpm: 200000}}
        """);
    assertThat(config.clients().get(0).priority()).isEqualTo(Priority.INTERACTIVE);
    assertThat(config.clients().get(0).limits()).isEmpty();
    assertThat(config.clients().get(1).priority()).isEqualTo(Priority.BATCH);
    assertThat(config.clients().get(1).limits()).contains(new LlmLimitsConfig(Optional.empty(), Optional.of(100_000L)));
    assertThat(config.targets().get("openai").llm().get().limits())
        .contains(new LlmLimitsConfig(Optional.of(500L), Optional.of(200_000L)));
  }

  @Test
  void badValuesAreReportedWithTheirKeyPaths() {
    assertProblems("""
        clients:
          - {name: jobs, key_env: K2, priority: low, limits: {}}
        targets:
          api:
            base_url: "http://127.0.0.1:1"
            retry_budget: {percent: -1, window_s: 0, min_per_sec: 3}
            concurrency: {min: 10, max: 5, queue_size: -1}
          openai:
            base_url: "http://127.0.0.1:1"
            llm: {provider: openai, default_model: m, limits: {rpm: 0}}
        """,
        "clients[0].priority: must be one of interactive, batch",
        "clients[0].limits: needs rpm, tpm or both",
        "targets.api.retry_budget.percent: must be a number from 0 to 1000",
        "targets.api.retry_budget.window_s: must be an integer from 1 to 3600",
        "targets.api.retry_budget.min_per_sec: unknown key, did you mean \"min_per_s\"?",
        "targets.api.concurrency.max: must be at least min (10)",
        "targets.api.concurrency.queue_size: must be an integer from 0 to 1000000",
        "targets.openai.llm.limits.rpm: must be an integer from 1 to 1000000000");
  }
  @Test
  void theMemoryBudgetDefaultsToHalfTheHeapAndTheConnectionCapToTenThousand() {
    ServerConfig server = parse("targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n").server();
    assertThat(server.maxBufferedBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(server.maxConnections()).isEqualTo(10_000);
    ServerConfig set = parse("server: {max_buffered_bytes: 1048576, max_connections: 50}\n"
        + "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n").server();
    assertThat(set.maxBufferedBytes()).isEqualTo(1_048_576);
    assertThat(set.maxConnections()).isEqualTo(50);
  }

  @Test
  void refusesAMemoryBudgetOrConnectionCapOutOfBoundsNamingTheKey() {
    assertProblems("server: {max_buffered_bytes: 10, max_connections: 0}\n"
        + "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n",
        "server.max_buffered_bytes", "server.max_connections");
  }

  @Test
  void theMemoryBudgetAndConnectionCapChangeOnlyWithARestart() {
    GatewayConfig running = parse("targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n");
    GatewayConfig loaded = parse("server: {max_buffered_bytes: 1048576, max_connections: 50}\n"
        + "targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n");
    assertThat(RestartOnly.changes(running, loaded)).hasSize(2)
        .anySatisfy(line -> assertThat(line).startsWith("server.max_buffered_bytes: cannot change without a restart"))
        .anySatisfy(line -> assertThat(line).startsWith("server.max_connections: cannot change without a restart"));
  }

  @Test
  void theTransportIsAutoUnlessNamedAndChangesOnlyWithARestart() {
    GatewayConfig running = parse("targets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n");
    assertThat(running.server().transport()).isEqualTo(ServerConfig.Transport.AUTO);
    GatewayConfig loaded = parse("server: {transport: epoll}\ntargets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n");
    assertThat(loaded.server().transport()).isEqualTo(ServerConfig.Transport.EPOLL);
    assertThat(RestartOnly.changes(running, loaded)).singleElement().asString()
        .isEqualTo("server.transport: cannot change without a restart (running auto, the file says epoll)");
    assertProblems("server: {transport: kqueue}\ntargets:\n  api: {base_url: \"http://127.0.0.1:1\"}\n",
        "server.transport: ");
  }
}
