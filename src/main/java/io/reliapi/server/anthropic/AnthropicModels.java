package io.reliapi.server.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /v1/models} in Anthropic's model-list shape, for clients that send {@code anthropic-version}:
 * {@code {"data": [{"type": "model", "id", "display_name", "created_at", "lifecycle"}], "has_more", "first_id",
 * "last_id"}}, paged by {@code limit} (1 to 1000, default 20), {@code after_id} and {@code before_id}.
 * {@code has_more} is always present: Anthropic SDKs page on until it is false.
 */
public final class AnthropicModels {
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 1000;
  /** The gateway does not know when a provider published a model; Anthropic SDKs require a time. */
  private static final String UNKNOWN_TIME = "1970-01-01T00:00:00Z";

  private AnthropicModels() {}

  /** Answers with the page of {@code ids} (sorted) that the request's query asks for. */
  public static void answer(HttpServerRequest request, String requestId, List<String> ids) {
    HttpServerResponse response = prepare(request, requestId);
    int limit;
    try {
      limit = limit(request.getParam("limit"));
    } catch (GatewayException e) {
      failed(request, requestId, e);
      return;
    }
    ModelPage page = ModelPage.of(ids, limit, request.getParam("after_id"), request.getParam("before_id"));
    response.end(Json.write(out -> {
      out.writeStartObject();
      out.writeArrayFieldStart("data");
      for (String id : page.ids()) {
        writeModel(out, id);
      }
      out.writeEndArray();
      out.writeBooleanField("has_more", page.hasMore());
      out.writeStringField("first_id", page.ids().isEmpty() ? null : page.ids().getFirst());
      out.writeStringField("last_id", page.ids().isEmpty() ? null : page.ids().getLast());
      out.writeEndObject();
    }));
  }

  /** Answers with the one model {@code id}, as Anthropic's {@code GET /v1/models/{model_id}} does. */
  public static void one(HttpServerRequest request, String requestId, String id) {
    prepare(request, requestId).end(Json.write(out -> writeModel(out, id)));
  }

  /** Answers {@code error} (a wrong id, a rate limit, a key that is missing) in Anthropic's error shape. */
  public static void failed(HttpServerRequest request, String requestId, GatewayException error) {
    HttpServerResponse response = prepare(request, requestId);
    ErrorObject.headers(response.headers(), "application/json", error);
    response.setStatusCode(error.status()).end(ErrorObject.anthropic(error, requestId, null));
  }

  private static void writeModel(JsonGenerator out, String id) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "model");
    out.writeStringField("id", id);
    out.writeStringField("display_name", id);
    out.writeStringField("created_at", UNKNOWN_TIME);
    out.writeStringField("lifecycle", "active");
    out.writeEndObject();
  }

  private static HttpServerResponse prepare(HttpServerRequest request, String requestId) {
    HttpServerResponse response = request.response();
    GatewayHeaders.ownBody(response.headers(), "application/json");
    response.headers().set("X-Request-ID", requestId).set("request-id", requestId);
    return response;
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GatewayException.of(ErrorCode.INVALID_REQUEST, "Query parameter 'limit' must be an integer from 1 to "
        + MAX_LIMIT + ".");
  }
}
