package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** The {@code Host} lines of a request's headers, in the map Vert.x reads an HTTP/1.x request into, counted. */
class HostFieldTest {
  @Test
  void oneHostLineAmongOthersIsWellFormed() {
    MultiMap headers = HttpHeaders.headers().add("Accept", "*/*").add("Host", "gw:8000").add("X-Host", "a")
        .add("Hosts", "b");
    assertThat(HostField.refusal(HttpVersion.HTTP_1_1, headers)).isNull();
  }

  @Test
  void twoHostLinesInAnyCaseAreRefusedEvenWhenEqual() {
    MultiMap headers = HttpHeaders.headers().add("Host", "gw").add("Accept", "*/*").add("HOST", "gw");
    assertThat(HostField.refusal(HttpVersion.HTTP_1_1, headers)).hasMessageContaining("more than one Host");
  }

  @Test
  void noHostIsRefusedOnHttp11Only() {
    MultiMap headers = HttpHeaders.headers().add("Accept", "*/*");
    assertThat(HostField.refusal(HttpVersion.HTTP_1_1, headers)).hasMessageContaining("must carry a Host");
    assertThat(HostField.refusal(HttpVersion.HTTP_1_0, headers)).isNull();
  }
}
