package io.reliapi.server.openai;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.pipeline.Caller;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.server.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/models} (SPEC §2.4): for each LLM target the caller may use, its {@code default_model} and
 * every model in its {@code llm.prices}, as {@code {"id": "target/model", "object": "model", "owned_by":
 * "target"}}. It needs the same key as the other proxy routes.
 */
public final class ModelsRoute {
  private final GatewayConfig config;
  private final ClientKeys keys;
  private final Buffer unauthorized;

  public ModelsRoute(GatewayConfig config, ClientKeys keys) {
    this.config = config;
    this.keys = keys;
    this.unauthorized = Json.write(out -> {
      out.writeStartObject();
      out.writeObjectFieldStart("error");
      out.writeStringField("message", "A valid API key is required.");
      out.writeStringField("type", "authentication_error");
      out.writeStringField("code", "UNAUTHORIZED");
      out.writeNullField("param");
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  public void handle(HttpServerRequest request) {
    Optional<Caller> caller = keys.authenticate(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
    var response = request.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Request-ID", RequestIds.from(request.getHeader("X-Request-ID")));
    if (caller.isEmpty()) {
      response.setStatusCode(401).end(unauthorized);
      return;
    }
    response.end(Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("object", "list");
      out.writeArrayFieldStart("data");
      for (TargetConfig target : config.targets().values().stream()
          .sorted(java.util.Comparator.comparing(TargetConfig::name)).toList()) {
        if (target.llm().isEmpty() || !caller.get().allows(target.name())) {
          continue;
        }
        Set<String> models = new LinkedHashSet<>();
        models.add(target.llm().get().defaultModel());
        target.llm().get().prices().keySet().stream().sorted().forEach(models::add);
        for (String model : models) {
          out.writeStartObject();
          out.writeStringField("id", target.name() + "/" + model);
          out.writeStringField("object", "model");
          out.writeNumberField("created", 0);
          out.writeStringField("owned_by", target.name());
          out.writeEndObject();
        }
      }
      out.writeEndArray();
      out.writeEndObject();
    }));
  }
}
