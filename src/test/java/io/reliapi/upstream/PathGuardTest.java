package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/users/123", "/a/b?x=1&y=%2F", "/search?q=http://example.com", "/files/a..b", "/v1/models/meta-llama%2FLlama-3",
      "/", "/a/.well-known/x", "/%E2%82%AC"})
  void letsOrdinaryPathsThroughUnchanged(String path) {
    assertThat(PathGuard.check(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a;v=1/b", "/files;jsessionid=x", "/a/..x;y/b", "/a/;/b", "/a/x.;y/b"})
  void letsPathParametersOnOrdinarySegmentsThrough(String path) {
    assertThat(PathGuard.check(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/a/..;/admin", "/..;/etc", "/a/..;x=1/b", "/a/.;/b", "/a/%2e%2e;x/b", "/a/%2E%2E%3Bx/b", "/a/..%3B/b",
      "/a/%252e%252e%253b/b", "/a/..;"})
  void rejectsDotSegmentsHiddenBehindPathParameters(String path) {
    assertThatThrownBy(() -> PathGuard.check(path))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "users", "//evil.example/x", "http://evil.example/x", "/../etc/passwd", "/a/../../b", "/a/./b", "/a/..",
      "/%2e%2e/admin", "/%2E%2E/admin", "/..%2fadmin", "/a/%252e%252e/b", "/a%5c..%5cb", "/a\\b",
      "/a%00b", "/a%0d%0aX-Injected:%201", "/a\r\nX: 1", "/a?x=%0d%0a", "/a#frag", "/%2f%2fevil.example",
      "/http%3A%2F%2Fevil", "/bad%zzescape"})
  void rejectsPathsThatCouldLeaveTheTargetOrSplitTheRequest(String path) {
    assertThatThrownBy(() -> PathGuard.check(path))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a b", "/caf\u00e9", "/q?name=J\u00fcrgen M", "/\"quoted\""})
  void encodesCharactersARequestLineCannotCarry(String path) {
    String encoded = PathGuard.encodeUnsafe(path);
    assertThat(encoded).matches("[\\x21-\\x7e]+").doesNotContain("\"", " ");
    assertThat(PathGuard.decode(encoded.replace("?", "%3F"))).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%20b", "/100%25", "/x?y=%2F"})
  void keepsValidEscapesAsTheyAre(String path) {
    assertThat(PathGuard.encodeUnsafe(path)).isEqualTo(path);
  }
}
