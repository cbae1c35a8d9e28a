package io.reliapi.policy.idempotency;

import io.reliapi.http.Body;
import io.reliapi.http.Canonical;
import io.reliapi.http.CredentialHeaders;
import io.reliapi.http.Digest;
import io.reliapi.http.HttpCall;
import io.reliapi.pipeline.Exchange;
import io.vertx.core.buffer.Buffer;

/**
 * What makes two requests "the same request" for an idempotency key (SPEC §3.4): a SHA-256 over the
 * method, the path, the query with its parameters sorted by name, and the body. A body sent as JSON
 * ({@code Content-Type} application/json or {@code +json}) counts in canonical form, so member order and
 * whitespace do not matter; any other body counts byte for byte. Of the headers, only the forwarded credentials
 * count ({@link CredentialHeaders}: the same ones that keep cached answers apart), hashed with the rest: the same key
 * and body under another {@code Cookie} or {@code Authorization} is another request, never a replay of the first
 * one's answer. A method-override header counts as the method it names, and the body's {@code Content-Type} and
 * {@code Content-Encoding} count as how its bytes are read ({@link BodyMeaning}): the same bytes as JSON or as a form,
 * gzipped or not, are other requests. No other header counts.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** Returns the fingerprint of the request an exchange carries (LLM requests: their canonical call). */
  public static String of(Exchange exchange) {
    return of(exchange.call());
  }

  public static String of(HttpCall call) {
    Digest digest = new Digest()
        .add(call.method())
        .add(Canonical.path(call.pathAndQuery()))
        .add(Canonical.query(call.pathAndQuery()));
    String overriding = call.overridingMethods();
    if (overriding != null) {
      // Only then, so that the fingerprint of every other request stays what stored keys were made with.
      digest.add("override:" + overriding);
    }
    switch (call.body()) {
      case Body.Bytes bytes -> digest.add(body(bytes.bytes(), call.headers().get("content-type")));
      // Keyed requests are always read whole; a stream can only be told apart by its length.
      case Body.Stream stream -> digest.add("stream:" + stream.length());
    }
    // Nothing for no Content-Type or plain JSON, and no coding, so the fingerprints of such requests stay what stored
    // keys were made with. Each adds two parts, a tag no header name can be and a value, as credentials do.
    addTagged(digest, "(content-type)", BodyMeaning.mediaType(call.headers()));
    addTagged(digest, "(content-encoding)", BodyMeaning.contentCoding(call.headers()));
    // Nothing without credentials, so the fingerprints of such requests stay what stored keys were made with. Each
    // adds two parts (name, value), so the count of parts still tells whether the override part is there.
    CredentialHeaders.addNamed(digest, call.headers(), CredentialHeaders::isCredential);
    return digest.hex();
  }

  private static void addTagged(Digest digest, String tag, String value) {
    if (value != null) {
      digest.add(tag).add(value);
    }
  }

  private static byte[] body(Buffer bytes, String contentType) {
    if (Canonical.isJson(contentType)) {
      Buffer canonical = Canonical.json(bytes.getBytes());
      if (canonical != null) {
        return canonical.getBytes();
      }
    }
    return bytes.getBytes();
  }
}
