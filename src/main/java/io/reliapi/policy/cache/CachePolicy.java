package io.reliapi.policy.cache;

import io.reliapi.http.Body;
import io.reliapi.http.Canonical;
import io.reliapi.http.CredentialHeaders;
import io.reliapi.http.Digest;
import io.reliapi.http.Headers;
import io.reliapi.http.HopByHop;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Exchange;
import io.reliapi.store.StoredReply;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The cache's decisions (SPEC §3.3), as plain functions: which requests the cache serves, which answers
 * it may keep, and under which key. Keys are a function of the exchange, so the LLM route can key on its
 * canonical provider request instead.
 */
public final class CachePolicy {
  private static final Set<Integer> STORABLE_STATUSES = Set.of(200, 203, 204);
  /** Request headers that change the representation and are always part of the key. */
  static final List<String> REPRESENTATION_HEADERS = List.of("accept", "accept-encoding", "accept-language");
  /**
   * Forwarded request headers that choose which version or beta features of a provider's API answers, and so what
   * its answer is: an answer made under one beta set is not the answer for another.
   */
  private static final Set<String> PROTOCOL_HEADERS = Set.of("anthropic-beta", "anthropic-version", "openai-beta");

  private CachePolicy() {}

  /**
   * Returns whether the cache may answer this request: GET and HEAD (without a method-override header naming
   * another method, {@link io.reliapi.http.HttpCall#safeMethod}), and LLM chat completions, streamed or
   * not. A streamed and a whole request for the same completion share one entry (their canonical requests
   * leave {@code stream} out), since a stored completion replays either way. A request whose body is streamed
   * through unread is not: its body cannot be part of the key.
   */
  public static boolean isCacheableRequest(Exchange exchange) {
    if (exchange.payload().isPresent()) {
      return true;
    }
    // A body streamed through to the upstream (a large /t/ body) is never read, so it cannot be in the key: a GET
    // carrying one (a search query, say) would share an entry with the same GET carrying any other body, or none.
    return exchange.call().safeMethod() && !(exchange.call().body() instanceof Body.Stream);
  }

  /**
   * Returns whether an upstream answer may be kept: status 200, 203 or 204, no {@code Set-Cookie}, no
   * {@code Cache-Control} of {@code no-store}, {@code private} or {@code no-cache} (the gateway does not
   * revalidate), and no {@code Vary: *}.
   */
  public static boolean isStorable(Reply reply) {
    Headers headers = reply.headers();
    if (!STORABLE_STATUSES.contains(reply.status()) || headers.contains("set-cookie")) {
      return false;
    }
    for (String directive : tokens(headers.all("cache-control"))) {
      if (directive.startsWith("no-store") || directive.startsWith("private") || directive.startsWith("no-cache")) {
        return false;
      }
    }
    return !tokens(headers.all("vary")).contains("*");
  }

  /**
   * Returns the header names, beyond the representation headers always in the key, that a response's
   * {@code Vary} adds to its key: lower case, sorted, without duplicates.
   */
  public static List<String> varyHeaders(Headers responseHeaders) {
    Set<String> names = new TreeSet<>(tokens(responseHeaders.all("vary")));
    names.removeAll(REPRESENTATION_HEADERS);
    names.remove("*");
    return List.copyOf(names);
  }

  /**
   * Returns the key of a request: target, method, path, canonical query, the representation headers,
   * forwarded credentials, the provider protocol headers forwarded, and body (each hashed), and the client, unless
   * the target's cache is shared.
   * For an LLM request the body is the canonical chat request (model, messages, every parameter that
   * changes the answer), so equal requests share a key however their JSON was written.
   */
  public static String key(Exchange exchange, boolean shared) {
    var call = exchange.call();
    Digest digest = new Digest()
        .add(call.method())
        .add(Canonical.path(call.pathAndQuery()))
        .add(Canonical.query(call.pathAndQuery()))
        .add(shared ? null : exchange.context().caller().name());
    for (String name : REPRESENTATION_HEADERS) {
      digest.add(call.headers().joined(name));
    }
    // The known credential headers, present or not, in a fixed order, as keys have always been made; one that stops
    // at this hop (Proxy-Authorization, one Connection names) counts as absent, since the upstream never sees it.
    Predicate<String> hop = HopByHop.of(call.headers());
    for (String name : CredentialHeaders.KNOWN) {
      digest.add(hop.test(name) ? null : call.headers().joined(name));
    }
    addNamed(digest, call.headers());
    digest.add(call.body() instanceof Body.Bytes bytes ? bytes.bytes().getBytes() : null);
    return "cache:" + exchange.target().name() + ":" + digest.hex();
  }

  /**
   * Adds, name and value, in name order: the other forwarded credential headers ({@link CredentialHeaders}: the
   * identity headers and those whose names read as a credential's), since a custom credential header the gateway
   * does not know of would otherwise let one caller's cached answer reach another; and the protocol headers
   * forwarded ({@code anthropic-beta}, …). Adds nothing when there are none, so the keys of requests without them
   * stay what they were.
   */
  static void addNamed(Digest digest, Headers headers) {
    CredentialHeaders.addNamed(digest, headers, name -> CredentialHeaders.isCredential(name)
        && !CredentialHeaders.KNOWN.contains(name) || PROTOCOL_HEADERS.contains(name));
  }

  /** Returns the key of the variant a request selects among the responses under {@code key}. */
  public static String variantKey(String key, List<String> varyHeaders, Headers requestHeaders) {
    Digest digest = new Digest();
    for (String name : varyHeaders) {
      digest.add(name).add(requestHeaders.joined(name));
    }
    return key + ":" + digest.hex();
  }

  /** Returns the age of a stored answer in seconds: its time in the cache plus the upstream's own Age. */
  public static long ageS(StoredReply stored, long nowMillis) {
    long upstreamAge = 0;
    String age = stored.headers().get("age");
    if (age != null) {
      try {
        upstreamAge = Math.max(0, Long.parseLong(age.trim()));
      } catch (NumberFormatException ignored) {
        // An unreadable Age counts as none.
      }
    }
    return Math.max(0, nowMillis - stored.storedAtMillis()) / 1000 + upstreamAge;
  }

  private static List<String> tokens(List<String> values) {
    return values.stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .map(t -> t.trim().toLowerCase(Locale.ROOT))
        .filter(t -> !t.isEmpty())
        .toList();
  }
}
