package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Headers;
import org.junit.jupiter.api.Test;

class HeaderHygieneTest {

  @Test
  void dropsHopByHopFieldsAndEveryFieldConnectionNames() {
    Headers in = Headers.of("Connection", "close, X-Hop", "X-Hop", "1", "Keep-Alive", "5", "Upgrade", "h2c",
        "Proxy-Authorization", "Basic x", "TE", "trailers", "Transfer-Encoding", "chunked", "Host", "internal",
        "Content-Length", "12", "Accept", "application/json", "X-Custom", "kept");
    Headers out = HeaderHygiene.forUpstream(in);
    assertThat(out.toLowerCaseMap()).containsOnlyKeys("accept", "x-custom");
  }

  @Test
  void keepsContentLengthTowardsTheClientButNotFraming() {
    Headers in = Headers.of("Content-Length", "5", "Transfer-Encoding", "chunked", "Connection", "x-secret-hop",
        "X-Secret-Hop", "1", "Content-Type", "text/plain");
    assertThat(HeaderHygiene.forClient(in).toLowerCaseMap()).containsOnlyKeys("content-length", "content-type");
  }

  @Test
  void copiesTheSameFieldsStraightIntoARequestHeaderMap() {
    Headers in = Headers.of("Connection", "X-Hop", "X-Hop", "1", "Host", "h", "Accept", "a", "X-Two", "1", "X-Two", "2");
    var out = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    HeaderHygiene.copyForUpstream(in, out);
    assertThat(Headers.from(out).toLowerCaseMap()).isEqualTo(HeaderHygiene.forUpstream(in).toLowerCaseMap());
    assertThat(out.getAll("x-two")).containsExactly("1", "2");
  }

  @Test
  void dropsTheFieldsEveryConnectionLineNamesInAnyCapitalisation() {
    Headers in = Headers.of("Connection", "close", "CONNECTION", "x-HOP", "X-Hop", "1", "x-hop", "2",
        "KEEP-ALIVE", "timeout=5", "TRANSFER-ENCODING", "chunked", "HOST", "h", "Accept", "a");
    assertThat(HeaderHygiene.forUpstream(in).toLowerCaseMap()).containsOnlyKeys("accept");
    assertThat(HeaderHygiene.forClient(in).toLowerCaseMap()).containsOnlyKeys("host", "accept");
  }
}
