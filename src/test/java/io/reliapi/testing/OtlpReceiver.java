package io.reliapi.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real OTLP/HTTP trace receiver: decodes each protobuf export request and keeps its spans. */
public final class OtlpReceiver implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final List<String> serviceNames = new CopyOnWriteArrayList<>();

  private final boolean tls;

  private OtlpReceiver(HttpServerOptions options) {
    tls = options.isSsl();
    server = vertx.createHttpServer(options).requestHandler(request -> request.body().onSuccess(body -> {
      if (!request.path().equals("/v1/traces")) {
        request.response().setStatusCode(404).end();
        return;
      }
      try {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        export.getResourceSpansList().forEach(resource -> {
          resource.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
              .forEach(a -> serviceNames.add(a.getValue().getStringValue()));
          resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList()));
        });
        request.response().putHeader("Content-Type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (Exception e) {
        request.response().setStatusCode(400).end();
      }
    }));
  }

  public static OtlpReceiver start() {
    return listen(new OtlpReceiver(new HttpServerOptions()));
  }

  /** A receiver over TLS showing {@code cert}; with {@code clientCa}, it requires a client certificate it signed. */
  public static OtlpReceiver startTls(Path cert, Path key, Path clientCa) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    if (clientCa != null) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
    }
    return listen(new OtlpReceiver(options));
  }

  private static OtlpReceiver listen(OtlpReceiver receiver) {
    try {
      receiver.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("OTLP receiver could not listen", e);
    }
    return receiver;
  }

  public String tracesUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  public List<Span> spans() {
    return List.copyOf(spans);
  }

  public List<String> serviceNames() {
    return List.copyOf(serviceNames);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
