package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RawConnection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client over its rate limit is refused before its body is read, on the routes that read a body whole too: the
 * 429 comes while a 10 MB body is still on its way (the gateway buffers none of it), a client waiting for
 * {@code 100 Continue} gets the 429 instead, and the connection closes after it. Each refusal counts once.
 */
class RateLimitBeforeBodyEndToEndTest {
  private static final int BIG = 10_000_000;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {max_body_bytes: 20000000, body_timeout_ms: 30000}
      clients:
        - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 0.001, burst: 1}}
      targets:
        api: {base_url: "%1$s"}
        chat:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())).env("LIMITED_KEY", "k-limited"));

  @BeforeAll
  static void spendTheOnlyToken() {
    assertThat(e2e.gw().http.get("/t/api/spend", "X-API-Key", "k-limited").status()).isNotEqualTo(429);
  }

  private static List<String> bodyRoutes() {
    return List.of("POST /proxy/http", "POST /proxy/llm", "POST /v1/chat/completions", "POST /v1/responses",
        "POST /v1/messages", "POST /v1/embeddings", "POST /t/api/upload");
  }

  private static String head(String requestLine, String more) {
    return requestLine + " HTTP/1.1\r\nHost: gw\r\nX-API-Key: k-limited\r\nContent-Type: application/json\r\n"
        + "X-ReliAPI-Target: chat\r\nContent-Length: " + BIG + "\r\n" + more + "\r\n";
  }

  @Test
  void isRefused429WhileItsLargeBodyIsStillComingAndTheConnectionCloses() {
    double before = refusals();
    for (String route : bodyRoutes()) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
        connection.write(head(route, "") + "{\"model\":\"gpt-4o-mini\",\"messages\":[");
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(route).isEqualTo(429);
        assertThat(answer.body()).as(route).contains("RATE_LIMITED");
        assertThat(answer.header("Retry-After")).as(route).isNotBlank();
        assertThat(answer.header("Connection")).as(route).isEqualToIgnoringCase("close");
        assertThat(connection.closedByServer()).as(route).isTrue();
      }
    }
    assertThat(refusals() - before).as("each refusal counted once").isEqualTo(bodyRoutes().size());
  }

  @Test
  void aClientWaitingFor100ContinueGetsThe429InsteadAndNoInvitation() {
    for (String route : bodyRoutes()) {
      try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
        connection.write(head(route, "Expect: 100-continue\r\n"));
        RawConnection.Answer answer = connection.readAnswer();
        assertThat(answer.status()).as(route + ": the first answer, never 100").isEqualTo(429);
        assertThat(connection.closedByServer()).as(route).isTrue();
      }
    }
  }

  @Test
  void aRefusalOnTNamesTheTargetOfItsPathAndOneWhoseTargetIsInTheBodyNamesNone() {
    MetricSamples before = MetricSamples.scrape(e2e.gw());
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
      connection.write(head("POST /t/api/upload", ""));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("X-ReliAPI-Target")).isEqualTo("api");
      assertThat(answer.body()).contains("\"target\":\"api\"");
    }
    try (RawConnection connection = RawConnection.open(e2e.gw().port(), 3_000)) {
      connection.write(head("POST /proxy/http", ""));
      RawConnection.Answer answer = connection.readAnswer();
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("X-ReliAPI-Target")).as("the envelope names its target in the body").isNull();
    }
    MetricSamples after = MetricSamples.scrape(e2e.gw());
    for (String target : List.of("api", "none")) {
      assertThat(after.value("reliapi_errors_total", "target", target, "code", "RATE_LIMITED")
          - before.value("reliapi_errors_total", "target", target, "code", "RATE_LIMITED")).as(target).isEqualTo(1);
      assertThat(after.value("reliapi_requests_total", "target", target, "outcome", "error")
          - before.value("reliapi_requests_total", "target", target, "outcome", "error")).as(target).isEqualTo(1);
    }
  }

  private static double refusals() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_errors_total", "code", "RATE_LIMITED");
  }
}
