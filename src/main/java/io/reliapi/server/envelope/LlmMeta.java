package io.reliapi.server.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.pipeline.Trace;
import io.reliapi.server.Inbound;
import io.reliapi.server.Money;
import java.io.IOException;
import java.util.Locale;

/** The {@code meta} of {@code /proxy/llm} (SPEC §2.3): the HTTP fields plus provider, model, cost and caps. */
final class LlmMeta implements Envelope.Meta {
  private final GatewayConfig config;

  LlmMeta(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public void write(JsonGenerator out, Inbound in, long durationMs) throws IOException {
    Trace trace = in.trace();
    out.writeStringField("request_id", in.requestId());
    out.writeStringField("target", trace.target());
    out.writeStringField("provider", provider(trace.target()));
    out.writeStringField("model", trace.model());
    out.writeBooleanField("cache_hit", trace.cacheHit());
    out.writeBooleanField("idempotent_hit", trace.idempotentHit());
    out.writeNumberField("retries", trace.retries());
    out.writeNumberField("duration_ms", durationMs);
    Money.writeField(out, "cost_usd", trace.costUsd());
    Money.writeField(out, "cost_estimate_usd", trace.costEstimateUsd());
    out.writeStringField("cost_policy_applied", trace.costPolicyApplied());
    out.writeBooleanField("max_tokens_reduced", trace.maxTokensReduced());
    if (trace.originalMaxTokens() == null) {
      out.writeNullField("original_max_tokens");
    } else {
      out.writeNumberField("original_max_tokens", trace.originalMaxTokens());
    }
    out.writeBooleanField("fallback_used", trace.fallbackUsed());
    out.writeStringField("fallback_target", trace.fallbackTarget());
    out.writeStringField("deployment", trace.deployment());
    out.writeStringField("fallback_reason", trace.fallbackUsed() ? trace.fallbackReason() : null);
  }

  private String provider(String target) {
    return target == null ? null : config.target(target).flatMap(TargetConfig::llm)
        .map(llm -> llm.provider().name().toLowerCase(Locale.ROOT)).orElse(null);
  }
}
