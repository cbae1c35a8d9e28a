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
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.PresentedKey;
import io.reliapi.server.RequestIds;
import io.reliapi.server.anthropic.AnthropicModels;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
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
 * proxy routes and takes a token from the client's rate limit. Nothing is proxied, but each request has its
 * access-log line and request metrics like any other.
 */
public final class ModelsRoute {
  private final GatewayConfig config;
  private final ClientKeys keys;
  private final ClientRateLimit rateLimit;
  private final GatewayEvents events;
  private final Clock clock;

  public ModelsRoute(GatewayConfig config, ClientKeys keys, ClientRateLimit rateLimit, GatewayEvents events,
      Clock clock) {
    this.config = config;
    this.keys = keys;
    this.rateLimit = rateLimit;
    this.events = events;
    this.clock = clock;
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
    PresentedKey key = PresentedKey.of(request);
    Optional<Caller> caller = keys.authenticate(key.apiKey(), key.authorization());
    String requestId = RequestIds.from(request.getHeader("X-Request-ID"));
    boolean anthropic = request.getHeader("anthropic-version") != null;
    Trace trace = new Trace(null);
    // Each request takes a token from the client's rate limit, as on every other route (SPEC §2.1).
    Future<Void> admitted = caller.map(c -> rateLimit.take(c, trace)).orElse(Future.succeededFuture());
    admitted.onComplete(taken -> {
      // A client that hung up while its token was taken (a Redis round trip) gets nothing written: logged as 499.
      if (!request.response().closed()) {
        // A token taken from this instance's own bucket while the shared store is out is said, as on every route.
        GatewayHeaders.degraded(request.response().headers(), trace);
        if (caller.isEmpty()) {
          refuse(request, requestId, anthropic, trace, GatewayException.of(ErrorCode.UNAUTHORIZED,
              "A valid API key is required."));
        } else if (taken.failed()) {
          refuse(request, requestId, anthropic, trace, GatewayException.from(taken.cause()));
        } else {
          write(request, id, caller.get(), requestId, anthropic, trace);
        }
      }
      int status = request.response().closed() && !request.response().ended() ? 499
          : request.response().getStatusCode();
      events.requestFinished(CompletedRequest.of(requestId, Route.MODELS, caller.map(Caller::name).orElse(null),
          request.method().name(), status, clock.nanoTime() - start, trace));
    });
  }

  /** Answers {@code error} in the shape the caller speaks (Anthropic's with {@code anthropic-version}). */
  private static void refuse(HttpServerRequest request, String requestId, boolean anthropic, Trace trace,
      GatewayException error) {
    trace.errorCode(error.code());
    if (anthropic) {
      AnthropicModels.failed(request, requestId, error);
    } else {
      ErrorObject.headers(request.response().headers(), "application/json", error);
      request.response().putHeader("X-Request-ID", requestId)
          .setStatusCode(error.status()).end(ErrorObject.openAi(error, null));
    }
  }

  private void write(HttpServerRequest request, String id, Caller caller, String requestId, boolean anthropic,
      Trace trace) {
    List<String> ids = models(caller).stream().map(Model::id).toList();
    if (id != null && !ids.contains(id)) {
      refuse(request, requestId, anthropic, trace,
          GatewayException.of(ErrorCode.TARGET_NOT_FOUND, "No model with this id is served."));
      return;
    }
    if (anthropic) {
      if (id == null) {
        AnthropicModels.answer(request, requestId, ids);
      } else {
        AnthropicModels.one(request, requestId, id);
      }
      return;
    }
    var response = request.response().putHeader("X-Request-ID", requestId);
    GatewayHeaders.ownBody(response.headers(), "application/json");
    if (id != null) {
      response.end(Json.write(out -> writeModel(out, id)));
      return;
    }
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
