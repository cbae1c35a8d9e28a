package io.reliapi.policy.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.config.OpenAiHosts;
import io.reliapi.http.CredentialHeaders;
import io.reliapi.http.Headers;
import io.reliapi.http.Json;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Whose problem a deployment's 401, 402, 403 or 429 is. Only a refusal of the gateway's own credential says
 * something about the deployment (a revoked key, an unpaid account, the operator's rate limit) and may take it
 * out for every client; a refusal of a credential the client sent itself, or of a resource the client chose,
 * is that client's answer and goes back to it alone, so no client can eject or cool down a deployment for
 * everyone. Pure.
 */
final class Refusals {
  private Refusals() {}

  /** Returns whether an answer with {@code status} is a refusal that may concern its deployment: 401, 402, 403, 429. */
  static boolean isRefusal(int status) {
    return status == 401 || status == 402 || status == 403 || status == 429;
  }

  /**
   * Returns whether {@code sent} (the headers the client had forwarded) carries a credential of the client's
   * ({@link CredentialHeaders#isClientCredential}: a known header, or one a word of whose name names a credential,
   * not one that only mentions a session or a key) that reaches the upstream and that the deployment's own
   * credential ({@code gatewayCredential}, its header names) does not replace.
   */
  static boolean clientCredential(Headers sent, Set<String> gatewayCredential) {
    return CredentialHeaders.forwardsAny(sent,
        name -> CredentialHeaders.isClientCredential(name) && !gatewayCredential.contains(name));
  }

  /**
   * Returns whether {@code sent} chooses the upstream account ({@link CredentialHeaders#isAccountChoice}: OpenAI's
   * organization or project) by a header the deployment's own ({@code gatewayCredential}) does not replace, at a
   * server that reads it ({@code sentTo}): Azure OpenAI chooses no account by them, and its 401 for a revoked key
   * (code {@code "401"}) never reads as {@code invalid_api_key}, so there a client sending them would keep a revoked
   * deployment in service.
   */
  static boolean choseAccount(Headers sent, Set<String> gatewayCredential, URI sentTo) {
    return OpenAiHosts.of(sentTo) != OpenAiHosts.Host.AZURE && CredentialHeaders.forwardsAny(sent,
        name -> CredentialHeaders.isAccountChoice(name) && !gatewayCredential.contains(name));
  }

  /**
   * Returns whether a refusal's body plainly refuses the key, the gateway's: OpenAI's {@code error.code} {@code
   * invalid_api_key}. A request that chose its organization or project ejects its deployment only on that: any other
   * body (a mismatched or unknown organization, a code added later, an HTML page, none) may refuse the client's
   * choice, and one client must not take a deployment out for everyone.
   */
  static boolean refusesKey(Buffer body) {
    JsonNode parsed = Json.parseOrNull(body.getBytes());
    return parsed != null && "invalid_api_key".equals(parsed.path("error").path("code").asText(""));
  }

  /**
   * Returns whether a refusal with {@code headers} states a {@code Content-Length} over {@code maxBytes}: it is not
   * read (refusals are a few hundred bytes). A body without a stated length (chunked) is read up to the bound.
   */
  static boolean statedLonger(Headers headers, long maxBytes) {
    String stated = headers.get("Content-Length");
    if (stated == null) {
      return false;
    }
    try {
      return Long.parseLong(stated.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /**
   * Returns a refusal's body {@code raw} as it reads, decompressed when its {@code Content-Encoding} is gzip (at
   * most {@code maxBytes} of it: a small compressed body may inflate to much more), or null when it cannot be read:
   * another encoding (deflate, br, zstd), a broken or longer gzip stream.
   */
  static Buffer decoded(Headers headers, Buffer raw, int maxBytes) {
    String encoding = headers.get("Content-Encoding");
    String name = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.equals("identity")) {
      return raw;
    }
    if (!name.equals("gzip") && !name.equals("x-gzip")) {
      return null;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.getBytes()))) {
      byte[] text = in.readNBytes(maxBytes + 1);
      return text.length > maxBytes ? null : Buffer.buffer(text);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Returns why an answer with {@code status} ejects its deployment, or null when it does not: a 401 or 402 of a
   * deployment that sends a credential of the gateway's ({@code ownCredential}) when the client sent none of its
   * own, and a 403 only on an LLM target, where it concerns the key or the account; on a plain HTTP target a 403
   * refuses the resource the client asked for.
   */
  static String ejectionReason(int status, boolean llmTarget, boolean ownCredential, boolean clientCredential) {
    if (!ownCredential || clientCredential) {
      return null;
    }
    return switch (status) {
      case 401 -> "unauthorized";
      case 402 -> "payment_required";
      case 403 -> llmTarget ? "forbidden" : null;
      default -> null;
    };
  }

  /** Returns whether a 429 cools its deployment down for everyone: not when it limited the client's own credential. */
  static boolean coolsDown(boolean clientCredential) {
    return !clientCredential;
  }
}
