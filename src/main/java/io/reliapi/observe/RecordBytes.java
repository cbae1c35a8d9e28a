package io.reliapi.observe;

import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trail;
import io.reliapi.pipeline.TrailEntry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A finished request packed into one byte array for the ring of recent requests. The ring keeps each request for
 * a second or more under load, long enough to live through several young collections: as a record with its
 * strings, list and trail entries it was a dozen objects the collector copied and scanned each time, the largest
 * part of every young pause; as one array without references it is one copy.
 */
final class RecordBytes {
  private static final Route[] ROUTES = Route.values();
  private static final int ATTEMPT = 0;
  private static final int CIRCUIT_OPEN = 1;
  private static final int CACHE = 2;
  private static final int IDEMPOTENCY = 3;
  private static final int BUDGET = 4;
  private static final int FALLBACK = 5;
  private static final int RETRY_BUDGET_EXHAUSTED = 6;
  private static final int QUEUED = 7;
  private static final int SHED = 8;
  private static final int LLM_LIMIT = 9;
  private static final int STREAM_RESUMED = 10;
  private static final int STREAM_CUT_AFTER_FINISH = 11;

  private RecordBytes() {}

  static byte[] pack(CompletedRequest r, long endedAtMillis) {
    PackedBytes out = PackedBytes.writer();
    out.putString(r.requestId());
    out.putLong(endedAtMillis);
    out.putByte(r.route().ordinal());
    out.putString(r.client());
    out.putString(r.target());
    out.putString(r.method());
    out.putInt(r.status());
    out.putString(r.errorCode());
    out.putLong(TimeUnit.NANOSECONDS.toMillis(r.durationNanos()));
    var trace = r.trace();
    out.putString(trace == null ? null : trace.span().traceId());
    Trail trail = trace == null ? null : trace.trail();
    int size = trail == null ? 0 : trail.size();
    out.putInt(size);
    for (int i = 0; i < size; i++) {
      entry(out, trail.get(i));
    }
    out.putInt(trail == null ? 0 : trail.dropped());
    return out.toArray();
  }

  /** Returns the request id of a packed record, reading nothing else. */
  static String requestId(byte[] packed) {
    return PackedBytes.reader(packed).getString();
  }

  static RequestRecord unpack(byte[] packed) {
    PackedBytes in = PackedBytes.reader(packed);
    String requestId = in.getString();
    long endedAt = in.getLong();
    String route = ROUTES[in.getByte()].name().toLowerCase(Locale.ROOT);
    String client = in.getString();
    String target = in.getString();
    String method = in.getString();
    int status = in.getInt();
    String errorCode = in.getString();
    long durationMs = in.getLong();
    String traceId = in.getString();
    int size = in.getInt();
    TrailEntry[] trail = new TrailEntry[size];
    for (int i = 0; i < size; i++) {
      trail[i] = entry(in);
    }
    return new RequestRecord(requestId, endedAt, route, client, target, method, status,
        CompletedRequest.outcome(status, errorCode), errorCode, durationMs, traceId, List.of(trail), in.getInt());
  }

  private static void entry(PackedBytes out, TrailEntry entry) {
    switch (entry) {
      case TrailEntry.Attempt a -> {
        out.putByte(ATTEMPT);
        out.putString(a.target());
        out.putString(a.deployment());
        out.putInt(a.number());
        out.putLong(a.waitMs());
        out.putString(a.result());
        out.putInt(a.status());
        out.putLong(a.durationMs());
      }
      case TrailEntry.CircuitOpen c -> {
        out.putByte(CIRCUIT_OPEN);
        out.putString(c.target());
      }
      case TrailEntry.Cache c -> {
        out.putByte(CACHE);
        out.putString(c.target());
        out.putString(c.decision());
      }
      case TrailEntry.Idempotency i -> {
        out.putByte(IDEMPOTENCY);
        out.putString(i.decision());
      }
      case TrailEntry.Budget b -> {
        out.putByte(BUDGET);
        out.putString(b.target());
        out.putString(b.step());
        out.putDouble(b.usd());
      }
      case TrailEntry.Fallback f -> {
        out.putByte(FALLBACK);
        out.putString(f.from());
        out.putString(f.to());
      }
      case TrailEntry.RetryBudgetExhausted e -> {
        out.putByte(RETRY_BUDGET_EXHAUSTED);
        out.putString(e.target());
        out.putInt(e.attempt());
      }
      case TrailEntry.Queued q -> {
        out.putByte(QUEUED);
        out.putString(q.target());
        out.putString(q.priority());
        out.putLong(q.waitMs());
      }
      case TrailEntry.Shed s -> {
        out.putByte(SHED);
        out.putString(s.target());
        out.putString(s.priority());
        out.putString(s.reason());
        out.putLong(s.waitMs());
      }
      case TrailEntry.LlmLimit l -> {
        out.putByte(LLM_LIMIT);
        out.putString(l.target());
        out.putString(l.step());
        out.putLong(l.tokens());
        out.putString(l.refusedBy());
      }
      case TrailEntry.StreamCutAfterFinish c -> {
        out.putByte(STREAM_CUT_AFTER_FINISH);
        out.putString(c.target());
        out.putString(c.error());
      }
      case TrailEntry.StreamResumed r -> {
        out.putByte(STREAM_RESUMED);
        out.putString(r.target());
        out.putInt(r.number());
        out.putString(r.errorClass());
      }
    }
  }

  private static TrailEntry entry(PackedBytes in) {
    int kind = in.getByte();
    return switch (kind) {
      case ATTEMPT -> new TrailEntry.Attempt(in.getString(), in.getString(), in.getInt(), in.getLong(),
          in.getString(), in.getInt(), in.getLong());
      case CIRCUIT_OPEN -> new TrailEntry.CircuitOpen(in.getString());
      case CACHE -> new TrailEntry.Cache(in.getString(), in.getString());
      case IDEMPOTENCY -> new TrailEntry.Idempotency(in.getString());
      case BUDGET -> new TrailEntry.Budget(in.getString(), in.getString(), in.getDouble());
      case FALLBACK -> new TrailEntry.Fallback(in.getString(), in.getString());
      case RETRY_BUDGET_EXHAUSTED -> new TrailEntry.RetryBudgetExhausted(in.getString(), in.getInt());
      case QUEUED -> new TrailEntry.Queued(in.getString(), in.getString(), in.getLong());
      case SHED -> new TrailEntry.Shed(in.getString(), in.getString(), in.getString(), in.getLong());
      case LLM_LIMIT -> new TrailEntry.LlmLimit(in.getString(), in.getString(), in.getLong(), in.getString());
      case STREAM_RESUMED -> new TrailEntry.StreamResumed(in.getString(), in.getInt(), in.getString());
      case STREAM_CUT_AFTER_FINISH -> new TrailEntry.StreamCutAfterFinish(in.getString(), in.getString());
      default -> throw new IllegalStateException("unknown trail entry kind " + kind);
    };
  }
}
