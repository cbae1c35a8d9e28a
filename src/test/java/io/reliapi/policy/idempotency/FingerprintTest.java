package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final Headers JSON = Headers.of("Content-Type", "application/json; charset=utf-8");

  private static String of(String method, String pathAndQuery, Headers headers, String body) {
    return Fingerprint.of(new HttpCall(method, pathAndQuery, headers, Body.of(Buffer.buffer(body))));
  }

  @Test
  void isAHexSha256() {
    assertThat(of("POST", "/a", JSON, "{}")).matches("[0-9a-f]{64}");
  }

  @Test
  void sameRequestSameFingerprint() {
    assertThat(of("POST", "/pay?a=1", JSON, "{\"x\":1}")).isEqualTo(of("POST", "/pay?a=1", JSON, "{\"x\":1}"));
  }

  @Test
  void methodPathQueryAndBodyEachCount() {
    String base = of("POST", "/pay?a=1", JSON, "{\"x\":1}");
    assertThat(of("PUT", "/pay?a=1", JSON, "{\"x\":1}")).isNotEqualTo(base);
    assertThat(of("POST", "/pay2?a=1", JSON, "{\"x\":1}")).isNotEqualTo(base);
    assertThat(of("POST", "/pay?a=2", JSON, "{\"x\":1}")).isNotEqualTo(base);
    assertThat(of("POST", "/pay", JSON, "{\"x\":1}")).isNotEqualTo(base);
    assertThat(of("POST", "/pay?a=1", JSON, "{\"x\":2}")).isNotEqualTo(base);
  }

  @Test
  void aMethodOverrideHeaderCountsAsTheMethodItNamesAndNothingElseChanges() {
    String get = of("GET", "/orders/7", Headers.empty(), "");
    assertThat(of("GET", "/orders/7", Headers.of("X-HTTP-Method-Override", "DELETE"), "")).isNotEqualTo(get);
    assertThat(of("GET", "/orders/7", Headers.of("X-HTTP-Method-Override", " delete "), ""))
        .isEqualTo(of("GET", "/orders/7", Headers.of("X-Method-Override", "DELETE"), ""));
    assertThat(of("GET", "/orders/7", Headers.of("X-Trace", "1"), "")).isEqualTo(get);
  }

  @Test
  void queryParametersCountInNameOrderButRepeatedValuesKeepTheirOrder() {
    assertThat(of("GET", "/s?b=2&a=1", Headers.empty(), "")).isEqualTo(of("GET", "/s?a=1&b=2", Headers.empty(), ""));
    assertThat(of("GET", "/s?a=1&a=2", Headers.empty(), "")).isNotEqualTo(of("GET", "/s?a=2&a=1", Headers.empty(), ""));
    assertThat(of("GET", "/s?", Headers.empty(), "")).isEqualTo(of("GET", "/s", Headers.empty(), ""));
  }

  @Test
  void jsonBodiesCountInCanonicalForm() {
    assertThat(of("POST", "/a", JSON, "{\"b\":[1,{\"d\":1,\"c\":2}],\"a\":\"x\"}"))
        .isEqualTo(of("POST", "/a", JSON, " {\"a\" : \"x\", \"b\": [1, {\"c\":2, \"d\":1}]}\n"));
    assertThat(of("POST", "/a", JSON, "[1,2]")).isNotEqualTo(of("POST", "/a", JSON, "[2,1]"));
  }

  @Test
  void otherBodiesCountByteForByte() {
    Headers text = Headers.of("Content-Type", "text/plain");
    assertThat(of("POST", "/a", text, "{\"a\":1,\"b\":2}")).isNotEqualTo(of("POST", "/a", text, "{\"b\":2,\"a\":1}"));
    assertThat(of("POST", "/a", JSON, "not json {")).isNotEqualTo(of("POST", "/a", JSON, "not  json {"));
  }

  @Test
  void theSameBytesAsJsonOrAsAFormOrTextAreAnotherRequest() {
    String body = "{\"amount\":1}";
    String json = of("POST", "/pay", JSON, body);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "application/x-www-form-urlencoded"), body))
        .isNotEqualTo(json);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain"), body)).isNotEqualTo(json)
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/csv"), body));
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "application/merge-patch+json"), body))
        .as("another JSON type: another meaning").isNotEqualTo(json);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; charset=iso-8859-1"), body))
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; charset=utf-8"), body));
    assertThat(of("POST", "/up", Headers.of("Content-Type", "multipart/form-data; boundary=a"), body))
        .isNotEqualTo(of("POST", "/up", Headers.of("Content-Type", "multipart/form-data; boundary=b"), body));
  }

  @Test
  void theMediaTypeCountsInOneFormWhateverItsSpelling() {
    String body = "a=1";
    String form = of("POST", "/pay", Headers.of("Content-Type", "text/plain; charset=utf-8; format=flowed"), body);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "Text/Plain;FORMAT=flowed ;Charset=\"UTF-8\""), body))
        .isEqualTo(form);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; charset=utf-8; format=Flowed"), body))
        .as("a value other than charset's keeps its case").isNotEqualTo(form);
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x;b=y\""), body))
        .as("a quoted semicolon is no parameter's end")
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=x; b=y"), body));
    assertThat(of("POST", "/a", Headers.of("Content-Type", "APPLICATION/JSON"), "{}"))
        .isEqualTo(of("POST", "/a", Headers.of("Content-Type", "application/json;charset=UTF-8"), "{}"))
        .isEqualTo(of("POST", "/a", JSON, "{}"));
  }

  @Test
  void aMalformedMediaTypeCountsByteForByteNeverAsAWellFormedOne() {
    String body = "a=1";
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x"), body)).as("an unbalanced quote")
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"\\\"x\""), body));
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=x\\"), body)).as("a trailing backslash")
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x\\\\\""), body));
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x\\\""), body))
        .as("a backslash escaping the closing quote")
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x\\\\\""), body));
    assertThat(of("POST", "/pay", Headers.of("Content-Type", "Text/Plain; a=\"x"), body)).as("kept as sent")
        .isNotEqualTo(of("POST", "/pay", Headers.of("Content-Type", "text/plain; a=\"x"), body));
  }

  @Test
  void theSameBytesGzippedOrNotAreAnotherRequest() {
    String body = "{\"amount\":1}";
    String plain = of("POST", "/pay", JSON, body);
    String gzipped = of("POST", "/pay", JSON.with("Content-Encoding", "gzip"), body);
    assertThat(gzipped).isNotEqualTo(plain);
    assertThat(of("POST", "/pay", JSON.with("Content-Encoding", "identity"), body)).isEqualTo(plain);
    assertThat(of("POST", "/pay", JSON.with("Content-Encoding", " X-GZIP "), body)).isEqualTo(gzipped);
    assertThat(of("POST", "/pay", JSON.with("Content-Encoding", "gzip, br"), body))
        .as("codings count in the order applied")
        .isEqualTo(of("POST", "/pay", Headers.of("Content-Type", "application/json", "Content-Encoding", "gzip",
            "Content-Encoding", "br"), body))
        .isNotEqualTo(of("POST", "/pay", JSON.with("Content-Encoding", "br, gzip"), body));
  }

  @Test
  void headersOtherThanCredentialsDoNotCount() {
    assertThat(of("POST", "/a", JSON.with("X-Trace", "1"), "{}")).isEqualTo(of("POST", "/a", JSON, "{}"));
  }

  @Test
  void aRequestWithoutCredentialsKeepsTheFingerprintStoredKeysWereMadeWith() {
    // Taken from the fingerprint before forwarded credentials counted: a key stored then still matches its repeat.
    assertThat(of("POST", "/orders?b=2&a=1", JSON.with("X-Trace", "1"), "{\"cart\":\"c-1\"}"))
        .isEqualTo("3647503f9ce070e95d3e3122352e9cbf0c10a4ccbfef5b7a805cca52252c422b");
    assertThat(of("GET", "/orders/7", Headers.of("X-HTTP-Method-Override", "DELETE"), ""))
        .isEqualTo("338d132768be0e35c6b40b5764b208338034c4daf0dd88320f2226d92a2b9a20");
    // Plain JSON, however spelt, and no Content-Type at all count for nothing, as before the media type counted.
    assertThat(of("POST", "/orders?b=2&a=1", Headers.of("Content-Type", "Application/JSON"), "{\"cart\":\"c-1\"}"))
        .isEqualTo("3647503f9ce070e95d3e3122352e9cbf0c10a4ccbfef5b7a805cca52252c422b");
  }

  @Test
  void forwardedCredentialsCountSoAnotherOnesRepeatIsAnotherRequest() {
    String none = of("POST", "/orders", JSON, "{}");
    String alice = of("POST", "/orders", JSON.with("Cookie", "session=alice"), "{}");
    assertThat(alice).isNotEqualTo(none);
    assertThat(of("POST", "/orders", JSON.with("Cookie", "session=bob"), "{}")).isNotEqualTo(alice);
    assertThat(of("POST", "/orders", JSON.with("cookie", "session=alice"), "{}")).isEqualTo(alice);
    for (String name : new String[] {"Authorization", "X-API-Key", "api-key", "X-Goog-Api-Key", "X-Auth-Token",
        "X-Session-Id", "Remote-User", "X-Forwarded-User", "X-User-Id", "X-Tenant-Id"}) {
      assertThat(of("POST", "/orders", JSON.with(name, "a"), "{}")).as(name)
          .isNotEqualTo(none).isNotEqualTo(of("POST", "/orders", JSON.with(name, "b"), "{}"));
    }
  }

  @Test
  void credentialsCountByNameAndValueWhateverTheirOrder() {
    Headers two = JSON.with("Cookie", "s=1").with("Authorization", "Bearer a");
    assertThat(of("POST", "/a", two, "{}"))
        .isEqualTo(of("POST", "/a", JSON.with("authorization", "Bearer a").with("COOKIE", "s=1"), "{}"));
    // The same value under another credential's name is another credential.
    assertThat(of("POST", "/a", JSON.with("X-User-Id", "7"), "{}"))
        .isNotEqualTo(of("POST", "/a", JSON.with("X-Tenant-Id", "7"), "{}"));
  }

  @Test
  void anIdempotencyKeyHeaderIsNoCredential() {
    assertThat(of("POST", "/a", JSON.with("X-Idempotency-Key", "k2"), "{}")).isEqualTo(of("POST", "/a", JSON, "{}"));
  }

  @Test
  void aCredentialThatStopsAtThisHopDoesNotCount() {
    String none = of("POST", "/a", JSON, "{}");
    // Stripped on the way out (hop-by-hop): the upstream's answer cannot depend on them.
    assertThat(of("POST", "/a", JSON.with("Proxy-Authorization", "Basic x"), "{}")).isEqualTo(none);
    assertThat(of("POST", "/a", JSON.with("Connection", "X-Auth-Token").with("X-Auth-Token", "t"), "{}"))
        .isEqualTo(of("POST", "/a", JSON.with("Connection", "X-Auth-Token"), "{}"));
    assertThat(of("POST", "/a", JSON.with("Connection", "close").with("X-Auth-Token", "t"), "{}"))
        .isNotEqualTo(of("POST", "/a", JSON.with("Connection", "close"), "{}"));
  }
}
