package io.reliapi.observe.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.reliapi.config.ClientPem;
import io.reliapi.config.TelemetryConfig;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.RequestSpan;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Tracing;
import io.reliapi.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OpenTelemetry traces (the only user of the OpenTelemetry SDK): a server span per proxy request, started
 * as the child of the caller's W3C {@code traceparent} when it sent one, and a client span per upstream
 * attempt, whose own {@code traceparent} goes upstream. Finished spans are queued for a batch processor,
 * which exports them over OTLP/HTTP from its own thread, so a request never waits for the collector; when
 * the queue is full spans are dropped. A collector that cannot be reached costs a counter
 * ({@code reliapi_telemetry_export_failures_total}) and nothing else: the SDK's own warnings are silenced.
 */
public final class Telemetry implements GatewayEvents, Tracing {
  /** Kept so that the level set on it is not lost when the logger is collected. */
  private static final Logger SDK_LOG = Logger.getLogger("io.opentelemetry");
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Telemetry(SdkTracerProvider provider, String version) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("io.reliapi", version);
  }

  /**
   * Starts exporting when {@code config} names a collector; else returns telemetry that does nothing.
   * {@code version} is the gateway's, for the {@code service.version} attribute.
   */
  public static Telemetry start(TelemetryConfig config, String version, Clock clock, GatewayEvents events) {
    if (!config.enabled()) {
      return new Telemetry(null, version);
    }
    SDK_LOG.setLevel(Level.OFF);
    var builder = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.otlpEndpoint().orElseThrow().toString())
        .setTimeout(Duration.ofSeconds(5));
    config.tls().map(ClientPem::read).ifPresent(pem -> {
      pem.ca().ifPresent(builder::setTrustedCertificates);
      pem.cert().ifPresent(cert -> builder.setClientTls(pem.pkcs8Key().orElseThrow(), cert));
    });
    var exporter = builder.build();
    var processor = BatchSpanProcessor.builder(new CountingExporter(exporter, events))
        .setScheduleDelay(Duration.ofSeconds(1))
        .setMaxQueueSize(4096)
        .setMaxExportBatchSize(512)
        .build();
    var provider = SdkTracerProvider.builder()
        .setClock(new OtelClock(clock))
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            SERVICE_NAME, config.serviceName(), SERVICE_VERSION, version))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .addSpanProcessor(processor)
        .build();
    return new Telemetry(provider, version);
  }

  @Override
  public RequestSpan start(String traceparent, Route route, String method) {
    if (tracer == null) {
      return RequestSpan.NONE;
    }
    Context parent = traceparent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TraceHeaders.GETTER);
    String template = template(route);
    Span span = tracer.spanBuilder(method + " " + template)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", method)
        .setAttribute("http.route", template)
        .startSpan();
    return new ServerSpan(tracer, span);
  }

  @Override
  public void requestFinished(CompletedRequest request) {
    if (request.trace() != null && request.trace().span() instanceof ServerSpan span) {
      span.end(request);
    }
  }

  /** Exports what is queued and stops; waits a few seconds at most. Never call it on an event loop. */
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private static String template(Route route) {
    return switch (route) {
      case PROXY_HTTP -> "/proxy/http";
      case PROXY_LLM -> "/proxy/llm";
      case OPENAI -> "/v1/chat/completions";
      case RESPONSES -> "/v1/responses";
      case ANTHROPIC -> "/v1/messages";
      case COUNT_TOKENS -> "/v1/messages/count_tokens";
      case PASSTHROUGH -> "/t/{target}/{path}";
      case EMBEDDINGS -> "/v1/embeddings";
      case MODELS -> "/v1/models";
      case NONE -> "unrouted";
    };
  }
}
