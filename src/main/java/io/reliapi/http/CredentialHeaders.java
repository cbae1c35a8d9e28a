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
   * whose answer it is all the same. Kept to these conventional names on purpose: a longer guessed list would split
   * keys for nothing, and a service naming its users otherwise has the upstream's {@code Vary} for the cache.
   */
  static final Set<String> IDENTITY = Set.of("remote-user", "x-remote-user", "x-forwarded-user", "x-user-id",
      "x-tenant-id");
  /**
   * OpenAI's organization and project, which its SDKs and Codex send from the environment: they choose whose account
   * (models, limits, data) answers, so the cache key and the fingerprint count them ({@link #isCredential}); but they
   * authenticate nothing, so they are no client credential ({@link #isClientCredential}). A refusal of a request that
   * chose them may refuse that choice only ({@link #isAccountChoice}; the deployment stage decides what ejects).
   */
  static final Set<String> ACCOUNT_CHOICE = Set.of("openai-organization", "openai-project");
  /**
   * The words of a header's name ({@link #namedAsCredential}) that say it carries a client's credential or an identity
   * an authenticating proxy vouches for ({@code X-Authenticated-Userid}, {@code X-Goog-Authenticated-User-Email},
   * {@code X-JWT-Assertion}), besides a {@code key}; also a word that ends in one of {@link #CREDENTIAL_ENDINGS}
   * ({@code X-SessionToken}, {@code X-ClientSecret}, {@code X-AppKey}). Not any word ending in "key": a
   * {@code portkey} or a {@code hotkey} is none.
   */
  private static final List<String> CREDENTIAL_WORDS = List.of("auth", "authorization", "authentication",
      "authenticated", "token", "secret", "signature", "credential", "credentials", "password", "jwt", "assertion");
  private static final List<String> CREDENTIAL_ENDINGS = List.of("token", "secret", "password", "apikey", "authkey",
      "accesskey", "secretkey", "appkey", "privatekey", "clientkey");
  /**
   * The words after which a {@code key} is not a credential but names a cache entry, a request, a route or a
   * WebSocket handshake ({@code Sec-WebSocket-Key}, a nonce the client's library makes). A {@code session} key is
   * not among them: many APIs authenticate a session by it.
   */
  private static final List<String> NOT_SECRET_KEYS = List.of("cache", "idempotency", "affinity", "dedup", "dedupe",
      "routing", "request", "websocket");

  private CredentialHeaders() {}

  /**
   * Whether a lower-case header name carries a credential or an identity, known or by how it reads: everything a
   * client's credential is ({@link #isClientCredential}) and more, so that one client's answer never reaches another.
   */
  public static boolean isCredential(String name) {
    return isKnownCredential(name) || ACCOUNT_CHOICE.contains(name) || credentialLike(name) || namedAsCredential(name);
  }

  /** Whether a lower-case header name chooses the upstream account the gateway's own key acts for (OpenAI's). */
  public static boolean isAccountChoice(String name) {
    return ACCOUNT_CHOICE.contains(name);
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
   * an identifier, not a credential ({@code X-Session-Token} counts by its {@code token}). The intent: a header whose
   * value authenticates the client or names whom it is authenticated as counts; when in doubt it counts, since a
   * credential missed lets one client's refused credential eject a deployment for everyone, while a name counted for
   * nothing only keeps that client's own refusals from ejecting it. Split by hand, without allocating: it runs on
   * every refusal.
   */
  static boolean namedAsCredential(String name) {
    int previous = -1;
    int start = 0;
    while (start <= name.length()) {
      int end = start;
      while (end < name.length() && name.charAt(end) != '-' && name.charAt(end) != '_') {
        end++;
      }
      boolean key = end - start == 3 && name.startsWith("key", start);
      if (key ? previous < 0 || !isWord(name, previous, start - 1, NOT_SECRET_KEYS)
          : isWord(name, start, end, CREDENTIAL_WORDS) || endsIn(name, start, end)) {
        return true;
      }
      previous = start;
      start = end + 1;
    }
    return false;
  }

  /** Whether {@code name} from {@code start} to {@code end} is one of {@code words}. */
  private static boolean isWord(String name, int start, int end, List<String> words) {
    for (String word : words) {
      if (word.length() == end - start && name.startsWith(word, start)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the word from {@code start} to {@code end} ends in one of {@link #CREDENTIAL_ENDINGS}. */
  private static boolean endsIn(String name, int start, int end) {
    for (String ending : CREDENTIAL_ENDINGS) {
      if (end - start >= ending.length() && name.startsWith(ending, end - ending.length())) {
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
