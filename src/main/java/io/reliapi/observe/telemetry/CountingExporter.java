package io.reliapi.observe.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.reliapi.observe.GatewayEvents;
import java.util.Collection;

/** Counts the exports that failed (collector down, refused, too slow); the spans in them are lost. */
final class CountingExporter implements SpanExporter {
  private final SpanExporter exporter;
  private final GatewayEvents events;

  CountingExporter(SpanExporter exporter, GatewayEvents events) {
    this.exporter = exporter;
    this.events = events;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = exporter.export(spans);
    int count = spans.size();
    result.whenComplete(() -> {
      if (!result.isSuccess()) {
        events.telemetryExportFailed(count);
      }
    });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return exporter.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return exporter.shutdown();
  }
}
