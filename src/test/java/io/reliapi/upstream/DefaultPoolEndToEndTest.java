package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default connection pool is not a surprise limit: a few hundred slow answers at once (LLM calls and
 * streams hold their connection for their whole length) all pass with a target configured by its URL alone.
 */
class DefaultPoolEndToEndTest {
  private static final int CONCURRENT = 300;
  private MockUpstream upstream;
  private GatewayHarness gateway;

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void servesHundredsOfSlowAnswersAtOnceWithTheDefaultPool() {
    upstream = MockUpstream.start();
    upstream.otherwise("GET /slow", Behavior.delayed(1_000, Behavior.json(200, "{\"ok\":true}")));
    gateway = GatewayHarness.yaml("""
        targets:
          api: {base_url: "%s"}
        """.formatted(upstream.baseUrl())).start();
    List<CompletableFuture<TestHttp.Res>> answers = IntStream.range(0, CONCURRENT)
        .mapToObj(i -> gateway.http.getAsync("/t/api/slow")).toList();
    List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(TestHttp.Res::status).toList();
    assertThat(statuses).hasSize(CONCURRENT).containsOnly(200);
    assertThat(upstream.count("/slow")).isEqualTo(CONCURRENT);
  }
}
