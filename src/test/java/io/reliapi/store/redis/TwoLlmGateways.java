package io.reliapi.store.redis;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestYaml;

/**
 * Two gateway instances, {@link #a} and {@link #b}, sharing one real redis-server, in front of one mock OpenAI
 * provider: target {@code openai} (one attempt, no circuit) and target {@code cached} (its answers cached 300 s).
 */
final class TwoLlmGateways implements AutoCloseable {
  final RedisServer redis = RedisServer.start();
  final MockUpstream up = MockUpstream.start();
  final GatewayHarness a;
  final GatewayHarness b;

  TwoLlmGateways() {
    String yaml = """
        server: {drain_timeout_ms: 0}
        redis: {url: "%s"}
        targets:
          openai:
            base_url: "%s/v1"
            %3$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          cached:
            base_url: "%2$s/v1"
            cache: {ttl_s: 300}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(redis.url(), up.baseUrl(), TestYaml.NO_RETRIES);
    a = GatewayHarness.yaml(yaml).start();
    b = GatewayHarness.yaml(yaml).start();
  }

  @Override
  public void close() {
    b.close();
    a.close();
    up.close();
    redis.close();
  }
}
