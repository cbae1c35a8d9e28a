package io.reliapi.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.observe.RequestRecord;
import io.reliapi.pipeline.TrailEntry;
import java.io.IOException;
import java.time.Instant;

/** Writes one recent request of the admin API: its figures and its trail, an object per entry kind. */
final class RequestView {
  private RequestView() {}

  static void write(JsonGenerator out, RequestRecord r) throws IOException {
    out.writeStartObject();
    out.writeStringField("request_id", r.requestId());
    out.writeStringField("ended_at", Instant.ofEpochMilli(r.endedAtMillis()).toString());
    out.writeStringField("route", r.route());
    out.writeStringField("client", r.client());
    out.writeStringField("target", r.target());
    out.writeStringField("method", r.method());
    out.writeNumberField("status", r.status());
    out.writeStringField("outcome", r.outcome());
    out.writeStringField("error_code", r.errorCode());
    out.writeNumberField("duration_ms", r.durationMs());
    out.writeStringField("trace_id", r.traceId());
    out.writeArrayFieldStart("trail");
    for (TrailEntry entry : r.trail()) {
      entry(out, entry);
    }
    out.writeEndArray();
    out.writeNumberField("trail_dropped", r.dropped());
    out.writeEndObject();
  }

  private static void entry(JsonGenerator out, TrailEntry entry) throws IOException {
    out.writeStartObject();
    switch (entry) {
      case TrailEntry.Attempt a -> {
        out.writeStringField("kind", "attempt");
        out.writeStringField("target", a.target());
        out.writeStringField("deployment", a.deployment());
        out.writeNumberField("number", a.number());
        out.writeNumberField("wait_ms", a.waitMs());
        out.writeStringField("result", a.result());
        AdminViews.writeLong(out, "status", a.status() > 0 ? (long) a.status() : null);
        out.writeNumberField("duration_ms", a.durationMs());
      }
      case TrailEntry.CircuitOpen c -> {
        out.writeStringField("kind", "circuit_open");
        out.writeStringField("target", c.target());
      }
      case TrailEntry.Cache c -> {
        out.writeStringField("kind", "cache");
        out.writeStringField("target", c.target());
        out.writeStringField("decision", c.decision());
      }
      case TrailEntry.Idempotency i -> {
        out.writeStringField("kind", "idempotency");
        out.writeStringField("decision", i.decision());
      }
      case TrailEntry.Budget b -> {
        out.writeStringField("kind", "budget");
        out.writeStringField("target", b.target());
        out.writeStringField("step", b.step());
        out.writeNumberField("usd", b.usd());
      }
      case TrailEntry.Fallback f -> {
        out.writeStringField("kind", "fallback");
        out.writeStringField("from", f.from());
        out.writeStringField("to", f.to());
      }
      case TrailEntry.RetryBudgetExhausted r -> {
        out.writeStringField("kind", "retry_budget_exhausted");
        out.writeStringField("target", r.target());
        out.writeNumberField("number", r.attempt());
      }
      case TrailEntry.Queued q -> {
        out.writeStringField("kind", "queued");
        out.writeStringField("target", q.target());
        out.writeStringField("priority", q.priority());
        out.writeNumberField("wait_ms", q.waitMs());
      }
      case TrailEntry.Shed s -> {
        out.writeStringField("kind", "shed");
        out.writeStringField("target", s.target());
        out.writeStringField("priority", s.priority());
        out.writeStringField("reason", s.reason());
        out.writeNumberField("wait_ms", s.waitMs());
      }
      case TrailEntry.LlmLimit l -> {
        out.writeStringField("kind", "llm_limit");
        out.writeStringField("target", l.target());
        out.writeStringField("step", l.step());
        out.writeNumberField("tokens", l.tokens());
        out.writeStringField("refused_by", l.refusedBy());
      }
      case TrailEntry.StreamCutAfterFinish c -> {
        out.writeStringField("kind", "stream_cut_after_finish");
        out.writeStringField("target", c.target());
        out.writeStringField("error", c.error());
      }
      case TrailEntry.StreamResumed r -> {
        out.writeStringField("kind", "stream_resumed");
        out.writeStringField("target", r.target());
        out.writeNumberField("number", r.number());
        out.writeStringField("error_class", r.errorClass());
      }
    }
    out.writeStringField("text", entry.text());
    out.writeEndObject();
  }
}
