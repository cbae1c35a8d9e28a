package io.reliapi.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.config.TargetConfig;
import io.reliapi.policy.circuit.TargetBreaker;
import io.reliapi.server.Snapshot;
import io.reliapi.store.DeploymentStates;
import io.reliapi.store.InMemoryIdempotencyStore;
import io.reliapi.store.InMemoryResponseCache;
import io.reliapi.store.Stores;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes the admin API's JSON: one method per view, so the overview is made of the same parts. */
final class AdminViews {
  private AdminViews() {}

  /**
   * Targets with their breakers and, when {@code stats} has them, their recent figures. Every target has
   * a {@code deployments} list, empty for a target without deployments (whose one breaker is {@code breaker});
   * a target with deployments has a breaker per deployment instead.
   */
  static void targets(JsonGenerator out, Snapshot snapshot, Map<String, TargetStats> stats, DeploymentStates states,
      long nowEpochMillis) throws IOException {
    out.writeArrayFieldStart("targets");
    for (TargetConfig target : snapshot.config().targets().values()) {
      out.writeStartObject();
      out.writeStringField("name", target.name());
      out.writeStringField("kind", target.isLlm() ? "llm" : "http");
      out.writeStringField("provider", target.llm().map(l -> l.provider().name().toLowerCase()).orElse(null));
      breaker(out, snapshot.breakers().of(target.name()).orElse(null));
      DeploymentView.write(out, target, snapshot.breakers(), states, nowEpochMillis);
      TargetStats figures = stats.get(target.name());
      if (figures != null) {
        out.writeObjectFieldStart("recent");
        out.writeNumberField("window_s", figures.windowS());
        out.writeNumberField("requests", figures.requests());
        out.writeNumberField("errors", figures.errors());
        out.writeNumberField("requests_per_s", figures.requestsPerS());
        out.writeNumberField("error_ratio", figures.errorRatio());
        writeLong(out, "p50_ms", figures.p50Ms());
        writeLong(out, "p99_ms", figures.p99Ms());
        out.writeNumberField("cache_hits", figures.cacheHits());
        out.writeNumberField("cache_misses", figures.cacheMisses());
        out.writeEndObject();
      }
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  static void breaker(JsonGenerator out, TargetBreaker breaker) throws IOException {
    if (breaker == null) {
      out.writeNullField("breaker");
      return;
    }
    out.writeObjectFieldStart("breaker");
    String state = breaker.state();
    out.writeStringField("state", state);
    out.writeBooleanField("forced", breaker.forcedOpen());
    writeLong(out, "retry_after_s", "open".equals(state) && !breaker.forcedOpen() ? breaker.retryAfterS() : null);
    out.writeNumberField("error_threshold", breaker.config().errorThreshold());
    out.writeNumberField("cooldown_s", breaker.config().cooldownS());
    out.writeNumberField("half_open_calls", breaker.config().halfOpenCalls());
    out.writeEndObject();
  }

  static void budgets(JsonGenerator out, List<BudgetLines.Line> lines) throws IOException {
    out.writeArrayFieldStart("budgets");
    for (BudgetLines.Line line : lines) {
      out.writeStartObject();
      out.writeStringField("owner", line.owner());
      out.writeStringField("name", line.name());
      out.writeStringField("period", line.period());
      out.writeNumberField("limit_usd", line.limitUsd());
      out.writeNumberField("spent_usd", line.spentUsd());
      out.writeNumberField("left_usd", line.leftUsd());
      out.writeStringField("resets_at", Instant.ofEpochMilli(line.resetsAtMillis()).toString());
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  /** Sizes of the in-memory stores; with Redis the sizes are Redis's and are not read here (null). */
  static void stores(JsonGenerator out, Stores stores, boolean redis) throws IOException {
    out.writeObjectFieldStart("stores");
    out.writeStringField("backend", redis ? "redis" : "memory");
    out.writeObjectFieldStart("cache");
    writeLong(out, "bytes", stores.cache() instanceof InMemoryResponseCache c ? c.weightedSize() : null);
    out.writeEndObject();
    out.writeObjectFieldStart("idempotency");
    var local = stores.idempotency().shared() instanceof InMemoryIdempotencyStore s ? s : null;
    writeLong(out, "in_flight", local == null ? null : (long) local.inFlightCount());
    writeLong(out, "finished_bytes", local == null ? null : local.finishedWeightedSize());
    writeLong(out, "waiting", (long) stores.idempotency().shared().waitingCount());
    out.writeEndObject();
    out.writeEndObject();
  }

  static void config(JsonGenerator out, Snapshot snapshot, ReloadOutcome last) throws IOException {
    out.writeObjectFieldStart("config");
    out.writeNumberField("version", snapshot.version());
    out.writeStringField("digest", snapshot.digest());
    out.writeStringField("loaded_at", Instant.ofEpochMilli(snapshot.loadedAtMillis()).toString());
    out.writeNumberField("targets", snapshot.config().targets().size());
    out.writeNumberField("clients", snapshot.config().clients().size());
    out.writeFieldName("last_reload");
    reload(out, last);
    out.writeEndObject();
  }

  static void reload(JsonGenerator out, ReloadOutcome outcome) throws IOException {
    out.writeStartObject();
    out.writeStringField("result", outcome.result());
    out.writeStringField("trigger", outcome.trigger());
    out.writeStringField("at", Instant.ofEpochMilli(outcome.atMillis()).toString());
    out.writeNumberField("version", outcome.version());
    out.writeStringField("digest", outcome.digest());
    out.writeArrayFieldStart("problems");
    for (String problem : outcome.problems()) {
      out.writeString(problem);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  /** Writes {@code value}, or null when there is none. */
  static void writeLong(JsonGenerator out, String name, Long value) throws IOException {
    if (value == null) {
      out.writeNullField(name);
    } else {
      out.writeNumberField(name, value);
    }
  }
}
