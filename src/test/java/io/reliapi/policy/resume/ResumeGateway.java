package io.reliapi.policy.resume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import java.util.List;

/**
 * The gateway the stream resumption end-to-end tests share: targets that continue broken streams (Anthropic and
 * Mistral, one that stalls, one with one place, one behind a fallback, one forwarding the idempotency key, one
 * with a hard cost cap, two with a short stream_max_s, one
 * without retry budget) and
 * one that does not, with the helpers
 * that read what the provider was asked.
 */
final class ResumeGateway {
  static final String MODEL = "claude-haiku-4-5";

  private ResumeGateway() {}

  /** A gateway of its own for one test class. */
  static GatewayExtension create() {
    return GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          llm:
            provider: anthropic
            default_model: claude-haiku-4-5
            stream_resume: true
            limits: {tpm: 1000000}
            budget: {daily_usd: 1000000}
            prices: {claude-haiku-4-5: {input_per_1m: 1000000, output_per_1m: 1000000}, \
      gpt-4o-mini: {input_per_1m: 1000000, output_per_1m: 1000000}}
        gpt:
          base_url: "%1$s/v1"
          retry_matrix: {"5xx": {attempts: 1}}
          circuit: {enabled: false}
          llm: {provider: openai, default_model: gpt-4o-mini}
          fallback_targets: [claude]
        stalls:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true, stream_idle_timeout_ms: 200}
        single:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          concurrency: {adaptive: false, max: 1, queue_size: 1, queue_timeout_ms: 300}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        mistral:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          llm: {provider: mistral, default_model: mistral-small-latest, stream_resume: true}
        keyed:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          idempotency: {forward_header: Idempotency-Key}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        capped:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true, hard_cost_cap_usd: 12, \
      prices: {claude-haiku-4-5: {input_per_1m: 1000000, output_per_1m: 1}, \
      gpt-4o-mini: {input_per_1m: 1000000, output_per_1m: 1}}}
        brief:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          stream_max_s: 0.9
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        timed:
          base_url: "%1$s/v1"
          timeout_ms: 10000
          circuit: {enabled: false}
          stream_max_s: 1.5
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        spent:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          retry_budget: {percent: 1, min_per_s: 0, window_s: 60}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5, stream_resume: true}
        plain:
          base_url: "%1$s/v1"
          retry_matrix: {net: {attempts: 3, base_s: 0.001, max_s: 0.001}}
          circuit: {enabled: false}
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
      """.formatted(up.baseUrl())));
  }

  /** The provider's first call: its events up to {@code pieces}, then the connection reset. */
  static List<String> cutAfter(List<String> pieces) {
    List<String> events = LlmBehaviors.anthropicStreamEvents(MODEL, pieces, 25, 15);
    return events.subList(0, 3 + pieces.size());
  }

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  static double metric(GatewayExtension e2e, String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  /** The last message of the provider call {@code index} (0: the first since {@code before}). */
  static JsonNode lastMessage(GatewayExtension e2e, int before, int index) {
    JsonNode body = json(e2e.up().requests().get(before + index).bodyText());
    JsonNode messages = body.path("messages");
    return messages.get(messages.size() - 1);
  }
}
