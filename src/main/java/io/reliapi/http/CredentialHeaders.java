package io.reliapi.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which forwarded request headers say whose request it is: the upstream's answer to one value is not the answer
 * to another, so the cache key and the idempotency fingerprint both count them, and they must agree on the list
 * (one place, here). The gateway's own credential for a target is added when the call goes out, after both are
 * made, so it never counts: only what the client sent does, and of that only what is forwarded (a hop-by-hop
 * header such as {@code Proxy-Authorization} never reaches the upstream).
 */
public final class CredentialHeaders {
  /**
   * The credential headers known by name, lower case. The API-key headers count as well (an {@code X-API-Key} in
   * {@code /proxy/http}'s {@code headers} is the upstream's, not the gateway's).
   */
  public static final List<String> KNOWN = List.of("authorization", "proxy-authorization", "cookie", "x-api-key",
      "api-key", "x-goog-api-key");
  /**
   * Headers that name the user or tenant an upstream answers for: set by an authenticating proxy in front of it
   * ({@code Remote-User}, {@code X-Forwarded-User}) or by a service calling on its users' behalf. Not secrets, but
   * whose answer it is all the same. Kept to these conventional names on purpose: a longer guessed list would
   * split keys for nothing, and a service naming its users otherwise has the upstream's {@code Vary} for the cache.
   */
  static final Set<String> IDENTITY = Set.of("remote-user", "x-remote-user", "x-forwarded-user", "x-user-id",
      "x-tenant-id");
  /**
   * The words of a header's name ({@link #namedAsCredential}) that say it carries a client's credential, besides a
   * {@code key}; also a word that ends in one of {@link #CREDENTIAL_ENDINGS} ({@code X-SessionToken},
   * {@code X-ClientSecret}).
   */
  private static final Set<String> CREDENTIAL_WORDS = Set.of("auth", "authorization", "authentication", "token",
      "secret", "signature", "credential", "credentials", "password", "apikey");
  private static final List<String> CREDENTIAL_ENDINGS = List.of("token", "secret", "password", "apikey");
  /** The words after which a {@code key} is not a credential but names a cache entry, a request or a route. */
  private static final Set<String> NOT_SECRET_KEYS = Set.of("cache", "idempotency", "affinity", "dedup", "dedupe",
      "routing");

  private CredentialHeaders() {}

  /** Whether a lower-case header name carries a credential or an identity, known or by how it reads. */
  public static boolean isCredential(String name) {
    return isKnownCredential(name) || credentialLike(name);
  }

  /**
   * Whether a lower-case header name carries a credential or an identity of the client's: what may decide for every
   * client (whose a deployment's refusal is), so read word by word ({@link #namedAsCredential}), not as the cache key
   * reads names. A custom credential header ({@code X-Auth-Token}, {@code X-Upstream-Token}, {@code X-Auth-Session-Id})
   * counts, or a client's own key refused would eject its deployment for everyone; a header that merely mentions a
   * session or a key ({@code session_id}, {@code x-session-affinity}, {@code x-portkey-config},
   * {@code x-prompt-cache-key}), which agents and SDKs send on every call, must not, or it would keep a revoked gateway
   * key from ever ejecting its deployment.
   */
  public static boolean isClientCredential(String name) {
    return isKnownCredential(name) || namedAsCredential(name);
  }

  private static boolean isKnownCredential(String name) {
    return KNOWN.contains(name) || IDENTITY.contains(name);
  }

  /**
   * Whether a lower-case header name, split into words at {@code -} and {@code _}, has a word that names a credential
   * ({@link #CREDENTIAL_WORDS}): a {@code key} but a cache's, an idempotency key or an affinity key; "session" alone is
   * an identifier, not a credential ({@code X-Session-Token} counts by its {@code token}).
   */
  static boolean namedAsCredential(String name) {
    String[] words = name.split("[-_]");
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      if (word.equals("key") ? i == 0 || !NOT_SECRET_KEYS.contains(words[i - 1])
          : CREDENTIAL_WORDS.contains(word) || CREDENTIAL_ENDINGS.stream().anyMatch(word::endsWith)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a lower-case header name reads as a credential's ({@code X-Auth-Token}, {@code X-Session-Id},
   * {@code X-Amz-Security-Token}, …), so a custom credential header the gateway does not know of counts too; an
   * idempotency key is not one (it is per request: counted, it would split the cache key of every request), in
   * either spelling.
   */
  static boolean credentialLike(String name) {
    return !name.endsWith("idempotency-key") && !name.endsWith("idempotency_key") && (name.contains("auth") || name.contains("token")
        || name.contains("key") || name.contains("secret") || name.contains("session")
        || name.contains("signature") || name.contains("credential") || name.contains("password"));
  }

  /**
   * Adds to {@code digest}, in name order, the lower-case name and the values (joined) of each header forwarded
   * that {@code chosen} picks by its lower-case name. Adds nothing when there is none, so what a digest was for
   * requests without such headers stays what it was.
   */
  public static void addNamed(Digest digest, Headers headers, Predicate<String> chosen) {
    TreeSet<String> names = forwardedNames(headers, chosen);
    if (names != null) {
      for (String name : names) {
        digest.add(name).add(headers.joined(name));
      }
    }
  }

  /** Returns whether {@code headers} forward a header that {@code chosen} picks by its lower-case name. */
  public static boolean forwardsAny(Headers headers, Predicate<String> chosen) {
    return forwardedNames(headers, chosen) != null;
  }

  /**
   * Returns the lower-case names, in order and each once, of the headers {@code chosen} picks among those that reach
   * the upstream: a hop-by-hop one ({@link HopByHop}: {@code Proxy-Authorization}, one {@code Connection} names) is
   * stripped on the way out, so the upstream's answer cannot depend on it. Null when there is none.
   */
  private static TreeSet<String> forwardedNames(Headers headers, Predicate<String> chosen) {
    TreeSet<String> names = null;
    Predicate<String> hop = null; // made only once a header is chosen, so most requests never parse Connection
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i).toLowerCase(Locale.ROOT);
      if (chosen.test(name)) {
        hop = hop == null ? HopByHop.of(headers) : hop;
        if (!hop.test(name)) {
          names = names == null ? new TreeSet<>() : names;
          names.add(name);
        }
      }
    }
    return names;
  }
}
