package io.reliapi.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.CacheDirective;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.store.StoredReply;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachePolicyTest {
  private static final TargetConfig TARGET = ConfigLoader.parse("""
      targets:
        api: {base_url: "http://127.0.0.1:1", cache: {ttl_s: 60}}
      """, name -> null).targets().get("api");

  private static Exchange exchange(String caller, String method, String pathAndQuery, Headers headers) {
    RequestContext context = new RequestContext("req_1", Route.PASSTHROUGH, new Caller(caller, Optional.empty()),
        "api", 0, Long.MAX_VALUE, Optional.empty(), Optional.empty(), CacheDirective.normal(), false,
        new Trace("api"), new Cancellation());
    return new Exchange(context, TARGET, new HttpCall(method, pathAndQuery, headers, Body.EMPTY), 0);
  }

  private static Exchange get(String pathAndQuery, String... headers) {
    return exchange("alice", "GET", pathAndQuery, Headers.of(headers));
  }

  private static Reply reply(int status, String... headers) {
    return new Reply(status, Headers.of(headers), Body.EMPTY);
  }

  @Test
  void onlyGetAndHeadAreServedFromTheCache() {
    assertThat(CachePolicy.isCacheableRequest(get("/a"))).isTrue();
    assertThat(CachePolicy.isCacheableRequest(exchange("alice", "HEAD", "/a", Headers.empty()))).isTrue();
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
      assertThat(CachePolicy.isCacheableRequest(exchange("alice", method, "/a", Headers.empty()))).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 203, 204})
  void okAnswersAreStorable(int status) {
    assertThat(CachePolicy.isStorable(reply(status, "Cache-Control", "public, max-age=60", "Vary", "Accept"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 206, 301, 304, 400, 404, 429, 500, 503})
  void otherStatusesAreNot(int status) {
    assertThat(CachePolicy.isStorable(reply(status))).isFalse();
  }

  @Test
  void directivesCookiesAndVaryStarForbidStoring() {
    assertThat(CachePolicy.isStorable(reply(200, "Cache-Control", "no-store"))).isFalse();
    assertThat(CachePolicy.isStorable(reply(200, "cache-control", "max-age=5, PRIVATE"))).isFalse();
    assertThat(CachePolicy.isStorable(reply(200, "Cache-Control", "private=\"x-user\""))).isFalse();
    assertThat(CachePolicy.isStorable(reply(200, "Cache-Control", "no-cache"))).isFalse();
    assertThat(CachePolicy.isStorable(reply(200, "Set-Cookie", "a=b"))).isFalse();
    assertThat(CachePolicy.isStorable(reply(200, "Vary", "Accept, *"))).isFalse();
  }

  @Test
  void varyAddsOnlyHeadersBeyondTheRepresentationOnes() {
    Headers headers = Headers.of("Vary", "Accept-Encoding, X-Tenant", "vary", "x-zone, X-TENANT");
    assertThat(CachePolicy.varyHeaders(headers)).containsExactly("x-tenant", "x-zone");
    assertThat(CachePolicy.varyHeaders(Headers.empty())).isEmpty();
  }

  @Test
  void theKeyHoldsTargetMethodPathCanonicalQueryAndRepresentationHeaders() {
    String key = CachePolicy.key(get("/a?x=1&y=2"), false);
    assertThat(key).startsWith("cache:api:");
    assertThat(CachePolicy.key(get("/a?y=2&x=1"), false)).isEqualTo(key);
    assertThat(CachePolicy.key(exchange("alice", "HEAD", "/a?x=1&y=2", Headers.empty()), false)).isNotEqualTo(key);
    assertThat(CachePolicy.key(get("/b?x=1&y=2"), false)).isNotEqualTo(key);
    assertThat(CachePolicy.key(get("/a?x=1&y=3"), false)).isNotEqualTo(key);
    for (String header : List.of("Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cookie",
        "anthropic-beta", "Anthropic-Version", "OpenAI-Beta")) {
      assertThat(CachePolicy.key(get("/a?x=1&y=2", header, "v"), false)).as(header).isNotEqualTo(key);
    }
    assertThat(CachePolicy.key(get("/a?x=1&y=2", "User-Agent", "curl"), false)).isEqualTo(key);
  }

  @Test
  void keysStayWhatEntriesWereStoredUnder() {
    // Taken from the keys before the credential headers moved to http.CredentialHeaders (shared with idempotency).
    assertThat(CachePolicy.key(get("/a?y=2&x=1", "Accept", "text/plain", "Cookie", "s=1", "X-Auth-Token", "t",
        "anthropic-beta", "b"), false))
        .isEqualTo("cache:api:67aa1b230bce81bac59dcdd855489080548ac1ff3cccd7fd73f85690b467a2ae");
    assertThat(CachePolicy.key(get("/a?y=2&x=1", "User-Agent", "curl"), false))
        .isEqualTo("cache:api:8b9a8cccbc77ad4eb58c60d22382d656ebdde486aeb8f1eaa033c9ef3ca2a0cd");
  }

  @Test
  void aCredentialThatStopsAtThisHopDoesNotSplitTheKey() {
    String none = CachePolicy.key(get("/a"), true);
    assertThat(CachePolicy.key(get("/a", "Proxy-Authorization", "Basic x"), true)).isEqualTo(none);
    String hop = CachePolicy.key(get("/a", "Connection", "Cookie, X-Auth-Token"), true);
    assertThat(CachePolicy.key(get("/a", "Connection", "Cookie, X-Auth-Token", "Cookie", "s=1", "X-Auth-Token", "t"),
        true)).isEqualTo(hop);
  }

  @Test
  void identityHeadersKeepTheirUsersAnswersApartEvenWhenShared() {
    String none = CachePolicy.key(get("/a"), true);
    for (String header : List.of("Remote-User", "X-Remote-User", "X-Forwarded-User", "X-User-Id", "X-Tenant-Id")) {
      String alice = CachePolicy.key(get("/a", header, "alice"), true);
      assertThat(alice).as(header).isNotEqualTo(none).isNotEqualTo(CachePolicy.key(get("/a", header, "bob"), true));
    }
  }

  @Test
  void theClientCountsUnlessTheCacheIsShared() {
    Exchange alice = get("/a");
    Exchange bob = exchange("bob", "GET", "/a", Headers.empty());
    assertThat(CachePolicy.key(alice, false)).isNotEqualTo(CachePolicy.key(bob, false));
    assertThat(CachePolicy.key(alice, true)).isEqualTo(CachePolicy.key(bob, true));
  }

  @Test
  void variantKeysFollowTheValuesOfTheVaryHeaders() {
    List<String> vary = List.of("x-tenant");
    String a = CachePolicy.variantKey("k", vary, Headers.of("X-Tenant", "a"));
    assertThat(a).startsWith("k:");
    assertThat(CachePolicy.variantKey("k", vary, Headers.of("x-tenant", "a", "X-Other", "1"))).isEqualTo(a);
    assertThat(CachePolicy.variantKey("k", vary, Headers.of("X-Tenant", "b"))).isNotEqualTo(a);
    assertThat(CachePolicy.variantKey("k", vary, Headers.empty())).isNotEqualTo(a)
        .isNotEqualTo(CachePolicy.variantKey("k", vary, Headers.of("X-Tenant", "")));
  }

  @Test
  void ageCountsTimeInTheCachePlusTheUpstreamsOwnAge() {
    StoredReply stored = new StoredReply(200, Headers.empty(), Buffer.buffer(), 10_000);
    assertThat(CachePolicy.ageS(stored, 10_000)).isZero();
    assertThat(CachePolicy.ageS(stored, 17_999)).isEqualTo(7);
    StoredReply aged = new StoredReply(200, Headers.of("Age", "30"), Buffer.buffer(), 10_000);
    assertThat(CachePolicy.ageS(aged, 15_000)).isEqualTo(35);
    StoredReply garbled = new StoredReply(200, Headers.of("Age", "soon"), Buffer.buffer(), 10_000);
    assertThat(CachePolicy.ageS(garbled, 15_000)).isEqualTo(5);
  }
}
