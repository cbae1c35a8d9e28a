package io.reliapi;

import io.reliapi.config.ConfigException;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.RedisConfig;
import io.reliapi.config.TargetConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reliapi check-config FILE}: validates a config and prints a one-screen summary. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate a config file: exit 0 and a summary if valid, exit 2 and one line per problem if not.")
final class CheckConfigCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "The YAML config file to check.")
  Path file;

  @Spec
  CommandSpec spec;

  @ParentCommand
  Main parent;

  @Override
  public Integer call() {
    GatewayConfig config;
    try {
      config = ConfigLoader.load(file, parent.env()::get);
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      e.problems().forEach(err::println);
      err.flush();
      return Main.BAD_CONFIG;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(file + ": valid");
    var server = config.server();
    out.printf("listen: %s:%d, deadline %d ms, max body %d bytes, max response %d bytes%n", server.host(),
        server.port(), server.deadlineMs(), server.maxBodyBytes(), server.maxResponseBytes());
    out.println("listener: " + server.tls().map(CheckConfigCommand::listener).orElse("plain HTTP/1.1 (no TLS)"));
    out.printf("memory: cache %d bytes, idempotency records %d bytes%n", server.cacheMaxBytes(),
        server.idempotencyMaxBytes());
    out.println("state: " + config.redis().map(CheckConfigCommand::redis).orElse("in-memory"));
    out.println("clients: " + (config.open() ? "none (open gateway)"
        : String.join(", ", config.clients().stream().map(c -> c.name()).toList())));
    config.defaultLlmTarget().ifPresent(t -> out.println("default LLM target: " + t));
    if (config.admin().enabled()) {
      out.printf("admin API and /ui: on, %d key(s) from $%s; trail of the last %d requests%n",
          config.admin().keys().size(), config.admin().keys().get(0).envVar(), config.admin().trailSize());
    }
    config.telemetry().otlpEndpoint().ifPresent(endpoint -> out.printf("traces: OTLP/HTTP to %s, sample ratio %s%n",
        endpoint, config.telemetry().sampleRatio()));
    if (server.watchConfig()) {
      out.println("config reload: when the file changes (also SIGHUP)");
    }
    out.println("targets:");
    for (TargetConfig t : config.targets().values()) {
      out.println("  " + summary(t));
    }
    out.flush();
    return 0;
  }

  private static String redis(RedisConfig r) {
    String where = switch (r.mode()) {
      case STANDALONE -> "redis";
      case CLUSTER -> "redis cluster, " + r.endpoints().size() + " seed node(s)";
      case SENTINEL -> "redis via " + r.endpoints().size() + " sentinel(s), primary " + r.masterName().orElse("");
    };
    return where + (r.tls().isPresent() || r.url().startsWith("rediss://") ? ", TLS" : "") + " ("
        + r.onUnavailable().name().toLowerCase() + ")";
  }

  /** Says that the listener is HTTPS, from which certificate, and what it asks of clients' certificates. */
  private static String listener(io.reliapi.config.ServerTls tls) {
    String clients = switch (tls.clientAuth()) {
      case NONE -> "no client certificates";
      case REQUEST -> "client certificates requested (optional), checked against " + tls.clientCaFile().orElseThrow();
      case REQUIRE -> "client certificates required, signed by " + tls.clientCaFile().orElseThrow();
    };
    return "HTTPS (TLS 1.2/1.3, HTTP/1.1) with " + tls.certFile() + ", " + clients;
  }

  /** Says what a target's {@code tls} block changes: its own CA, a client certificate, both or (empty) nothing. */
  private static String tls(io.reliapi.config.TargetTls tls) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    tls.files().caFile().ifPresent(f -> parts.add("own CA"));
    tls.files().certFile().ifPresent(f -> parts.add("client certificate"));
    return String.join(" + ", parts);
  }

  private static String summary(TargetConfig t) {
    StringBuilder line = new StringBuilder(t.name());
    t.llm().ifPresent(l -> line.append(" [llm ").append(l.provider().name().toLowerCase())
        .append(", model ").append(l.defaultModel()).append("]"));
    line.append(" timeout ").append(t.timeoutMs()).append(" ms");
    if (t.circuit().enabled()) {
      line.append(", breaker ").append(t.circuit().errorThreshold()).append("/").append(t.circuit().cooldownS()).append("s");
    }
    t.concurrency().ifPresent(c -> line.append(", concurrency ")
        .append(c.adaptive() ? "adaptive " + c.min() + ".." + c.max() : "max " + c.max()));
    t.cache().filter(c -> c.enabled()).ifPresent(c -> line.append(", cache ").append(c.ttlS()).append("s"));
    t.auth().ifPresent(a -> line.append(", auth from $").append(a.secret().envVar()));
    t.tls().map(CheckConfigCommand::tls).filter(s -> !s.isEmpty()).ifPresent(s -> line.append(", TLS ").append(s));
    if (!t.fallbackTargets().isEmpty()) {
      line.append(", fallback -> ").append(String.join(" -> ", t.fallbackTargets()));
    }
    if (!t.deployments().isEmpty()) {
      line.append(", deployments ").append(String.join(" ", t.deployments().stream()
          .map(d -> d.name() + (d.weight() == 1 ? "" : "×" + d.weight())).toList()));
    }
    t.hedge().ifPresent(h -> line.append(", hedge after ").append(h.afterMs().map(ms -> ms + " ms")
        .orElseGet(() -> "p" + h.afterPercentile().orElseThrow())));
    return line.toString();
  }
}
