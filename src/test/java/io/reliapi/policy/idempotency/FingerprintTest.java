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
  void headersDoNotCount() {
    assertThat(of("POST", "/a", JSON.with("X-Trace", "1"), "{}")).isEqualTo(of("POST", "/a", JSON, "{}"));
  }
}
