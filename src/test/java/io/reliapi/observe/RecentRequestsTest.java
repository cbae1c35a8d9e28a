package io.reliapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.pipeline.RequestSpan;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.pipeline.Trail;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {
  private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_700_000_000_123L));

  private static final List<TrailEntry> EVERY_KIND = List.of(
      new TrailEntry.Attempt("api", "east", 2, 250, "http_5xx", 503, 12),
      new TrailEntry.Attempt("api", null, 3, 0, "timeout", 0, 30_000),
      new TrailEntry.CircuitOpen("api"),
      new TrailEntry.Cache("api", "coalesced"),
      new TrailEntry.Idempotency("replay"),
      new TrailEntry.Budget("api", "settled", 0.000123),
      new TrailEntry.Fallback("api", "backup"),
      new TrailEntry.RetryBudgetExhausted("api", 4),
      new TrailEntry.Queued("backup", "interactive", 17),
      new TrailEntry.Shed("backup", "batch", "queue_full", 0),
      new TrailEntry.LlmLimit("backup", "reserved", 1200, null),
      new TrailEntry.LlmLimit("backup", "refused", 0, "client tpm"),
      new TrailEntry.StreamResumed("claude", 2, "5xx"),
      new TrailEntry.StreamCutAfterFinish("gpt", "NETWORK_ERROR"));

  private static CompletedRequest request(String id, int status, String errorCode, Trace trace) {
    return new CompletedRequest(id, Route.OPENAI, "alice", "api", "POST", status, errorCode, 42_600_000L, trace);
  }

  @Test
  void aRequestReadBackHasEveryFieldAndEveryKindOfTrailEntryItWasWrittenWith() {
    Trace trace = new Trace("api");
    EVERY_KIND.forEach(trace::note);
    RecentRequests recent = new RecentRequests(10, clock);
    recent.requestFinished(request("req-1", 502, "UPSTREAM_5XX", trace));

    RequestRecord record = recent.find("req-1");
    assertThat(record).isEqualTo(new RequestRecord("req-1", 1_700_000_000_123L, "openai", "alice", "api", "POST", 502,
        "error", "UPSTREAM_5XX", 42, null, EVERY_KIND, 0));
  }

  @Test
  void namesOutsideAsciiNullsAndATrailPastItsBoundSurviveThePacking() {
    Trace trace = new Trace("api");
    for (int i = 1; i <= Trail.MAX + 3; i++) {
      trace.attemptEnded(RequestSpan.AttemptSpan.NONE, "api", null, i, "http_5xx", 503, 1_000_000);
    }
    RecentRequests recent = new RecentRequests(10, clock);
    recent.requestFinished(new CompletedRequest("ид-é-😀", Route.PASSTHROUGH, null, "zielsystem-ü", "GET", 200,
        null, 0, trace));
    recent.requestFinished(new CompletedRequest("plain", Route.PROXY_HTTP, null, null, "GET", 200, null, 0, null));

    RequestRecord odd = recent.find("ид-é-😀");
    assertThat(odd.target()).isEqualTo("zielsystem-ü");
    assertThat(odd.client()).isNull();
    assertThat(odd.outcome()).isEqualTo("success");
    assertThat(odd.trail()).hasSize(Trail.MAX).isEqualTo(trace.trail().entries());
    assertThat(odd.dropped()).isEqualTo(3);
    RequestRecord plain = recent.find("plain");
    assertThat(plain.target()).isNull();
    assertThat(plain.trail()).isEmpty();
    assertThat(plain.route()).isEqualTo("proxy_http");
  }

  @Test
  void theRingKeepsTheNewestRequestsNewestFirstAndForgetsTheOldest() {
    RecentRequests recent = new RecentRequests(3, clock);
    for (int i = 1; i <= 5; i++) {
      recent.requestFinished(request("req-" + i, 200, null, null));
    }
    assertThat(recent.newestFirst()).extracting(RequestRecord::requestId).containsExactly("req-5", "req-4", "req-3");
    assertThat(recent.find("req-2")).isNull();
    assertThat(recent.find("req-4").status()).isEqualTo(200);
  }
}
