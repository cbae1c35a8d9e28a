package io.reliapi.server.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.RequestIds;
import io.reliapi.server.anthropic.AnthropicModels;
import io.reliapi.time.Clock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * ({@link AnthropicModels}). {@code GET /v1/models/{id}} answers one of them. It needs the same key as the other
 * proxy routes. Nothing is proxied, but each request has its access-log line and request metrics like any other.
 */
public final class ModelsRoute {
  private final GatewayConfig config;
  private final ClientKeys keys;
  private final Buffer unauthorized;
  private final GatewayEvents events;
  private final Clock clock;

  public ModelsRoute(GatewayConfig config, ClientKeys keys, GatewayEvents events, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.events = events;
    this.clock = clock;
    this.unauthorized = ErrorObject.openAi(
        GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid API key is required."), null);
  }

  /** {@code GET /v1/models}: every model the caller may use. */
  public void handle(HttpServerRequest request) {
    answer(request, null);
  }

  /**
   * {@code GET /v1/models/{id}}: the one model {@code rawId} (as it stands in the path, percent-encoded or not)
   * names, if the caller may use it; 404 {@code TARGET_NOT_FOUND} otherwise, whether it does not exist or is not
   * the caller's, so that nothing is learned about other clients' targets.
   */
  public void retrieve(HttpServerRequest request, String rawId) {
    answer(request, decode(rawId));
  }

  private void answer(HttpServerRequest request, String id) {
    long start = clock.nanoTime();
    Optional<Caller> caller = keys.authenticate(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
    String requestId = RequestIds.from(request.getHeader("X-Request-ID"));
    write(request, id, caller, requestId);
    int status = request.response().getStatusCode();
    ErrorCode code = status == 401 ? ErrorCode.UNAUTHORIZED : status == 404 ? ErrorCode.TARGET_NOT_FOUND : null;
    Trace trace = new Trace(null);
    if (code != null) {
      trace.errorCode(code);
    }
    events.requestFinished(new CompletedRequest(requestId, Route.MODELS, caller.map(Caller::name).orElse(null), null,
        request.method().name(), status, code == null ? null : code.name(), clock.nanoTime() - start, trace));
  }

  private void write(HttpServerRequest request, String id, Optional<Caller> caller, String requestId) {
    boolean anthropic = request.getHeader("anthropic-version") != null;
    if (caller.isEmpty() && anthropic) {
      AnthropicModels.unauthorized(request, requestId);
      return;
    }
    var response = request.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Request-ID", requestId);
    if (caller.isEmpty()) {
      response.setStatusCode(401).end(unauthorized);
      return;
    }
    List<String> ids = models(caller.get()).stream().map(Model::id).toList();
    if (id == null) {
      if (anthropic) {
        AnthropicModels.answer(request, requestId, ids);
      } else {
        response.end(Json.write(out -> {
          out.writeStartObject();
          out.writeStringField("object", "list");
          out.writeArrayFieldStart("data");
          for (String each : ids) {
            writeModel(out, each);
          }
          out.writeEndArray();
          out.writeEndObject();
        }));
      }
      return;
    }
    if (!ids.contains(id)) {
      GatewayException missing = GatewayException.of(ErrorCode.TARGET_NOT_FOUND, "No model with this id is served.");
      if (anthropic) {
        AnthropicModels.notFound(request, requestId, missing);
      } else {
        response.setStatusCode(404).end(ErrorObject.openAi(missing, null));
      }
    } else if (anthropic) {
      AnthropicModels.one(request, requestId, id);
    } else {
      response.end(Json.write(out -> writeModel(out, id)));
    }
  }

  private static void writeModel(JsonGenerator out, String id) throws IOException {
    out.writeStartObject();
    out.writeStringField("id", id);
    out.writeStringField("object", "model");
    out.writeNumberField("created", 0);
    out.writeStringField("owned_by", id.substring(0, id.indexOf('/')));
    out.writeEndObject();
  }

  /** Decodes the id's %XX escapes (SDKs send {@code target/model} as {@code target%2Fmodel}); {@code +} stays. */
  static String decode(String rawId) {
    if (rawId.indexOf('%') < 0) {
      return rawId;
    }
    try {
      return URLDecoder.decode(rawId.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return rawId;
    }
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
