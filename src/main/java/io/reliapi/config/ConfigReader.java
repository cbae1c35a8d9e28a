package io.reliapi.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the top level (server, redis, targets; clients through {@link ClientReader}) and checks the rules that
 * span sections.
 */
final class ConfigReader {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Every section and its keys, the single source for unknown-key checks and the config reference. */
  static final Map<String, Set<String>> SCHEMA = Map.ofEntries(
      Map.entry("", Set.of("server", "redis", "default_llm_target", "clients", "targets", "telemetry", "admin")),
      Map.entry("server", Set.of("host", "port", "max_body_bytes", "max_response_bytes", "deadline_ms",
          "idle_timeout_s", "drain_timeout_ms", "cache_max_bytes", "idempotency_max_bytes", "watch_config",
          "body_timeout_ms", "ops_key_env", "max_buffered_bytes", "max_connections", "transport", "tls")),
      Map.entry("server.tls", Set.of("cert_file", "key_file", "client_ca_file", "client_auth")),
      Map.entry("telemetry", Set.of("otlp_endpoint", "sample_ratio", "service_name", "tls")),
      Map.entry("admin", Set.of("keys_env", "trail_size")),
      Map.entry("redis", Set.of("mode", "url", "nodes", "sentinels", "master_name", "password_env", "tls",
          "on_unavailable", "timeout_ms", "wait_replicas", "wait_timeout_ms")),
      Map.entry("tls", Set.of("ca_file", "cert_file", "key_file")),
      Map.entry("clients[]", Set.of("name", "key_env", "targets", "budget", "rate_limit", "quota", "priority",
          "limits")),
      Map.entry("quota", Set.of("idempotency_records", "cache_bytes")),
      Map.entry("budget", Set.of("daily_usd", "monthly_usd")),
      Map.entry("rate_limit", Set.of("rps", "burst")),
      Map.entry("limits", Set.of("rpm", "tpm")),
      Map.entry("targets.*", Set.of("base_url", "timeout_ms", "connect_timeout_ms", "deadline_ms",
          "max_connections", "retry_matrix", "circuit", "cache", "idempotency", "auth", "fallback_targets", "llm",
          "stream_max_s", "deployments", "deployment_cooldown_s", "hedge", "retry_budget", "concurrency", "tls")),
      Map.entry("deployments[]", Set.of("name", "base_url", "auth", "weight", "model")),
      Map.entry("hedge", Set.of("after_ms", "after_percentile", "llm")),
      Map.entry("retry_budget", Set.of("enabled", "percent", "min_per_s", "window_s")),
      Map.entry("concurrency", Set.of("adaptive", "min", "max", "queue_size", "queue_timeout_ms")),
      Map.entry("retry_matrix", Set.of("429", "5xx", "net", "timeout")),
      Map.entry("retry_matrix.*", Set.of("attempts", "backoff", "base_s", "max_s")),
      Map.entry("circuit", Set.of("enabled", "error_threshold", "cooldown_s", "half_open_calls", "window",
          "failure_rate_percent", "slow_call_ms", "slow_call_rate_percent")),
      Map.entry("circuit.window", Set.of("type", "size", "min_calls")),
      Map.entry("cache", Set.of("enabled", "ttl_s", "shared")),
      Map.entry("idempotency", Set.of("ttl_s", "coalesce_timeout_s", "forward_header")),
      Map.entry("auth", Set.of("type", "env_var", "header", "prefix")),
      Map.entry("llm", Set.of("provider", "default_model", "max_tokens", "soft_cost_cap_usd",
          "hard_cost_cap_usd", "min_output_tokens", "budget", "prices", "anthropic_version", "raw_paths", "limits",
          "query", "max_tokens_field", "responses_api", "stream_commit", "first_token_timeout_ms",
          "stream_idle_timeout_ms", "stream_keepalive_s", "context_fallback", "fallback_on_content_filter",
          "stream_resume", "reference_tokens", "structured_outputs")),
      Map.entry("prices.*", Set.of("input_per_1m", "output_per_1m", "cache_read_per_1m", "cache_write_per_1m",
          "reasoning_per_1m", "max_input_tokens",
          "input_audio_per_1m", "output_audio_per_1m")));

  private final Node root;
  private final Function<String, String> env;

  ConfigReader(Node root, Function<String, String> env) {
    this.root = root;
    this.env = env;
  }

  GatewayConfig read() {
    if (!root.mapping(SCHEMA.get(""))) {
      root.problem("the configuration must be a mapping");
    }
    ServerConfig server = server(root.field("server"));
    Optional<RedisConfig> redis = RedisReader.read(root.field("redis"));
    Map<String, TargetConfig> targets = targets(root.field("targets"));
    List<ClientConfig> clients = ClientReader.read(root.field("clients"), targets, env);
    Optional<String> defaultLlm = defaultLlmTarget(root.field("default_llm_target"), targets);
    new FallbackGraph(targets).check(root.field("targets"));
    return new GatewayConfig(server, redis, defaultLlm, clients, targets,
        OpsReader.telemetry(root.field("telemetry")), OpsReader.admin(root.field("admin"), clients));
  }

  private static ServerConfig server(Node n) {
    n.mapping(SCHEMA.get("server"));
    return new ServerConfig(
        n.field("host").text(ServerConfig.DEFAULT_HOST),
        n.field("port").integer(ServerConfig.DEFAULT_PORT, 0, 65535),
        n.field("max_body_bytes").integer(ServerConfig.DEFAULT_MAX_BODY_BYTES, 1, 1L << 30),
        n.field("max_response_bytes").integer(ServerConfig.DEFAULT_MAX_RESPONSE_BYTES, 1, 1L << 30),
        n.field("deadline_ms").integer(ServerConfig.DEFAULT_DEADLINE_MS, 1, 3_600_000),
        n.field("idle_timeout_s").integer(ServerConfig.DEFAULT_IDLE_TIMEOUT_S, 1, 3600),
        n.field("drain_timeout_ms").integer(ServerConfig.DEFAULT_DRAIN_TIMEOUT_MS, 0, 600_000),
        n.field("cache_max_bytes").integer(ServerConfig.DEFAULT_CACHE_MAX_BYTES, 1024, 1L << 40),
        n.field("idempotency_max_bytes").integer(ServerConfig.DEFAULT_IDEMPOTENCY_MAX_BYTES, 1024, 1L << 40),
        n.field("watch_config").bool(false),
        n.field("body_timeout_ms").integer(ServerConfig.DEFAULT_BODY_TIMEOUT_MS, 1, 3_600_000),
        n.field("ops_key_env").present() ? Optional.of(n.field("ops_key_env").keyFromEnv()) : Optional.empty(),
        n.field("max_buffered_bytes").integer(ServerConfig.defaultMaxBufferedBytes(), 1024, 1L << 50),
        n.field("max_connections").integer(ServerConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
        n.field("transport").choice(Node.words(
            Map.entry("auto", ServerConfig.Transport.AUTO),
            Map.entry("io_uring", ServerConfig.Transport.IO_URING),
            Map.entry("epoll", ServerConfig.Transport.EPOLL),
            Map.entry("nio", ServerConfig.Transport.NIO)), ServerConfig.Transport.AUTO),
        TlsReader.readServer(n.field("tls")));
  }

  private Map<String, TargetConfig> targets(Node n) {
    Map<String, TargetConfig> out = new LinkedHashMap<>();
    Map<String, Node> entries = n.entries();
    if (entries.isEmpty() && !n.present()) {
      n.problem("at least one target is required");
    }
    entries.forEach((name, node) -> {
      if (!NAME.matcher(name).matches()) {
        node.problems().add(node.path(), name, "target names use only letters, digits, '_' and '-'");
      }
      out.put(name, new TargetReader(name, node).read());
    });
    return out;
  }

  /** Reads a {@code budget} block, a client's or an LLM target's. */
  static Optional<BudgetConfig> budget(Node n) {
    if (!n.mapping(SCHEMA.get("budget"))) {
      return Optional.empty();
    }
    var daily = Optional.ofNullable(n.field("daily_usd").number(null, 0, 1e9));
    var monthly = Optional.ofNullable(n.field("monthly_usd").number(null, 0, 1e9));
    if (daily.isEmpty() && monthly.isEmpty()) {
      n.problem("needs daily_usd, monthly_usd or both");
    }
    return Optional.of(new BudgetConfig(daily, monthly));
  }

  private static Optional<String> defaultLlmTarget(Node n, Map<String, TargetConfig> targets) {
    if (!n.present()) {
      // Without a default, a lone LLM target is unambiguous; with several the request must choose.
      var llm = targets.values().stream().filter(TargetConfig::isLlm).map(TargetConfig::name).toList();
      return llm.size() == 1 ? Optional.of(llm.get(0)) : Optional.empty();
    }
    String name = n.text("");
    TargetConfig target = targets.get(name);
    if (target == null) {
      n.problem("names an unknown target");
    } else if (!target.isLlm()) {
      n.problem("must name a target with an llm block");
    }
    return Optional.of(name);
  }
}
