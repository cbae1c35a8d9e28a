package io.reliapi.server.openai;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Json;
import io.reliapi.pipeline.Caller;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.server.RequestIds;
import io.reliapi.server.anthropic.AnthropicModels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/models} (SPEC §2.4): for each LLM target the caller may use, its {@code default_model} and
 * every model in its {@code llm.prices}, as {@code {"id": "target/model", "object": "model", "owned_by":
 * "target"}}; a request carrying {@code anthropic-version} gets the same models in Anthropic's model-list shape
 * ({@link AnthropicModels}). It needs the same key as the other proxy routes.
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
    String requestId = RequestIds.from(request.getHeader("X-Request-ID"));
    boolean anthropic = request.getHeader("anthropic-version") != null;
    if (caller.isEmpty() && anthropic) {
      AnthropicModels.unauthorized(request, requestId);
      return;
    }
    if (anthropic) {
      AnthropicModels.answer(request, requestId, models(caller.get()).stream().map(Model::id).toList());
      return;
    }
    var response = request.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Request-ID", requestId);
    if (caller.isEmpty()) {
      response.setStatusCode(401).end(unauthorized);
      return;
    }
    List<Model> models = models(caller.get());
    response.end(Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("object", "list");
      out.writeArrayFieldStart("data");
      for (Model model : models) {
        out.writeStartObject();
        out.writeStringField("id", model.id());
        out.writeStringField("object", "model");
        out.writeNumberField("created", 0);
        out.writeStringField("owned_by", model.target());
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    }));
  }

  /** One model a route can reach: {@code target/model}. */
  private record Model(String target, String model) {
    String id() {
      return target + "/" + model;
    }
  }

  /** Returns the models of the LLM targets {@code caller} may use, by target name, each target's default first. */
  private List<Model> models(Caller caller) {
    List<Model> out = new ArrayList<>();
    for (TargetConfig target : config.targets().values().stream()
        .sorted(Comparator.comparing(TargetConfig::name)).toList()) {
      if (target.llm().isEmpty() || !caller.allows(target.name())) {
        continue;
      }
      Set<String> models = new LinkedHashSet<>();
      models.add(target.llm().get().defaultModel());
      target.llm().get().prices().keySet().stream().sorted().forEach(models::add);
      models.forEach(model -> out.add(new Model(target.name(), model)));
    }
    return out;
  }
}
