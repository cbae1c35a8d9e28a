package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request the HTTP parser cannot read gets the SPEC's error object like any other bad input (in the plain wrapper
 * of requests no route takes), with a request id, and its connection closed; it never quotes what the client sent.
 */
class MalformedRequestErrorsEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api:
          base_url: "%s"
          circuit: {enabled: false}
      """.formatted(up.baseUrl())));

  private static RawConnection.Answer send(String request, boolean[] closed) {
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      RawConnection.Answer answer = connection.write(request).readAnswer();
      closed[0] = connection.closedByServer();
      return answer;
    }
  }

  private static JsonNode error(RawConnection.Answer answer) {
    JsonNode root = Json.parseOrNull(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(root).as(answer.body()).isNotNull();
    assertThat(root.size()).isEqualTo(1);
    return root.path("error");
  }

  @Test
  void aRequestWhoseFramingTheParserRefusesGetsInvalidRequestAndItsConnectionCloses() {
    double errorsBefore = MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", "none",
        "outcome", "error");
    boolean[] closed = new boolean[1];
    var answer = send("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
        + "X-Card: 4111-secret\r\n\r\n0\r\n\r\nGET /t/api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n", closed);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("X-Request-ID")).isNotBlank();
    JsonNode error = error(answer);
    assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(error.path("status_code").asInt()).isEqualTo(400);
    assertThat(answer.body()).doesNotContain("4111", "Exception", "chunked", "Content-Length");
    assertThat(closed[0]).as("the connection closes: what follows is not read as a request").isTrue();
    assertThat(e2e.up().count("/smuggled")).isZero();
    assertThat(e2e.up().count("/pay")).isZero();
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_requests_total", "target", "none", "outcome", "error"))
        .as("counted like any other request").isEqualTo(errorsBefore + 1);
  }

  @Test
  void aRequestLineTooLongIs414AndAHeaderBlockTooLargeIs431EachWithItsCode() {
    boolean[] closed = new boolean[1];
    var longLine = send("GET /t/api/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", closed);
    assertThat(longLine.status()).isEqualTo(414);
    assertThat(error(longLine).path("code").asText()).isEqualTo("URI_TOO_LONG");
    assertThat(longLine.body()).doesNotContain("aaaa");
    assertThat(closed[0]).isTrue();

    var bigHead = send("GET /t/api/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n", closed);
    assertThat(bigHead.status()).isEqualTo(431);
    assertThat(error(bigHead).path("code").asText()).isEqualTo("HEADER_FIELDS_TOO_LARGE");
    assertThat(error(bigHead).path("status_code").asInt()).isEqualTo(431);
    assertThat(closed[0]).isTrue();
  }

  @Test
  void aBodyInATransferCodingBesidesChunkedIsRefusedNotSentOnAsAPlainBody() {
    boolean[] closed = new boolean[1];
    var answer = send("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        + "5\r\nxxxxx\r\n0\r\n\r\n", closed);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(error(answer).path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(closed[0]).isTrue();
    assertThat(e2e.up().count("/pay")).isZero();
    var twoLines = send("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + "Transfer-Encoding: gzip\r\n\r\n5\r\nxxxxx\r\n0\r\n\r\n", closed);
    assertThat(twoLines.status()).as("a coding on a line of its own counts too").isEqualTo(400);
    assertThat(e2e.up().count("/pay")).isZero();
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 5_000)) {
      var plain = connection.write("POST /t/api/pay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n").readAnswer();
      assertThat(plain.status()).as("chunked alone, in any case, is read as ever").isEqualTo(200);
    }
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }
}
