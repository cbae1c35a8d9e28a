package io.reliapi.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link FaultWall}'s chat route: logs the attempt, picks the fault from the model name, continues an
 * assistant prefill that starts the canonical answer (or, for {@code fb-ok-noprefill}, rejects it), then
 * answers with the fault's status, body and headers, or hands a 200 to the stream or whole-body answer.
 */
final class WallChat {
  private static final String OVERLOADED = "The engine is currently overloaded. Please try again later.";

  private final Vertx vertx;
  private final WallLog log;
  private final Supplier<WallTiming> timing;

  WallChat(Vertx vertx, WallLog log, Supplier<WallTiming> timing) {
    this.vertx = vertx;
    this.log = log;
    this.timing = timing;
  }

  /** Answers one chat request; completes with whether the connection may carry another one. */
  Future<Boolean> answer(WallConnection connection, WallRequest request) {
    boolean keep = request.keepAlive();
    JsonObject body;
    try {
      body = request.body().length == 0 ? new JsonObject() : new JsonObject(Buffer.buffer(request.body()));
    } catch (DecodeException | ClassCastException e) {
      return error(connection, 400, "Request body is not valid JSON", "invalid_request_error", null, null, keep);
    }
    String header = request.header("x-fb-model");
    Object named = body.getValue("model");
    String model = header != null && !header.isEmpty() ? header : named == null ? "" : String.valueOf(named);
    Optional<WallFault> fault = WallFault.forModel(model);
    boolean stream = Boolean.TRUE.equals(body.getValue("stream"));
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    JsonObject last = messages.isEmpty() ? new JsonObject() : messages.getJsonObject(messages.size() - 1);
    String lastRole = last.getString("role");
    JsonObject options = body.getJsonObject("stream_options", new JsonObject());
    boolean includeUsage = Boolean.TRUE.equals(options.getValue("include_usage"));
    WallAttempt entry = log.record(model, fault.map(f -> f.tag).orElse(null), stream, lastRole);
    if (fault.isEmpty()) {
      entry.action("404 model_not_found");
      return error(connection, 404, "The model `" + model + "` does not exist", "invalid_request_error",
          "model_not_found", "model", keep);
    }
    List<String> words = CanonicalAnswer.WORDS;
    boolean continuation = false;
    if ("assistant".equals(lastRole)) {
      String partial = last.getValue("content") instanceof String s ? s.strip() : "";
      if (fault.get() == WallFault.OK_NOPREFILL) {
        entry.action("400 prefill_rejected");
        return error(connection, 400, "This model does not support assistant message prefill. The conversation "
            + "must end with a user message.", "invalid_request_error", "invalid_prefill", "messages", keep);
      }
      if (!partial.isEmpty() && CanonicalAnswer.TEXT.startsWith(partial)) {
        words = CanonicalAnswer.words(CanonicalAnswer.TEXT.substring(partial.length()));
        continuation = true;
      }
    }
    int promptTokens = promptTokens(messages);
    entry.promptTokens(promptTokens);
    WallTiming t = timing.get();
    Future<Boolean> refused = refusal(connection, fault.get(), entry, model, t, keep);
    if (refused != null) {
      return refused;
    }
    var answer = new WallAnswer("chatcmpl-fb-" + entry.seq(), model, words, continuation, includeUsage,
        promptTokens, keep);
    var reply = new WallReply(vertx, connection, t, fault.get().stream, entry);
    return stream ? new WallStream(reply, answer).start() : new WallWholeAnswer(reply, answer).send();
  }

  /** The faults that never reach a 200: returns their answer, or null to go on to the answer proper. */
  private Future<Boolean> refusal(WallConnection connection, WallFault fault, WallAttempt entry, String model,
      WallTiming t, boolean keep) {
    Rejection reject = (action, status, message, type, code, param, extra) -> {
      entry.action(action);
      return send(connection, status, WallReplies.error(message, type, code, param), keep, extra);
    };
    String retryAfter = WallTiming.seconds(t.retryAfterS());
    return switch (fault) {
      case RETRY_AFTER_ONCE -> entry.attempt() > 1 ? null : reject.with("429 retry-after=" + retryAfter, 429,
          "Rate limit reached for " + model + ". Please retry after " + retryAfter + " seconds.", "rate_limit_error",
          "rate_limit_exceeded", null, Map.of("Retry-After", Long.toString((long) t.retryAfterS())));
      case RATE_LIMITED -> reject.with("429", 429, "Rate limit reached for " + model + ".", "rate_limit_error",
          "rate_limit_exceeded", null, Map.of());
      case SERVER_ERROR_ONCE -> entry.attempt() > 1 ? null : reject.with("500", 500,
          "The server had an error while processing your request.", "server_error", null, null, Map.of());
      case OVERLOADED, OVERLOADED_ACCOUNTING ->
          reject.with("503", 503, OVERLOADED, "server_error", "overloaded", null, Map.of());
      case RESET_ONCE -> {
        if (entry.attempt() > 1) {
          yield null;
        }
        entry.action("tcp-reset");
        connection.reset();
        yield Future.succeededFuture(false);
      }
      case NO_RESPONSE -> silence(connection, entry, t);
      case CONTEXT_LENGTH -> reject.with("400 context_length_exceeded", 400, "This model's maximum context length "
          + "is 8192 tokens. However, your messages resulted in 9631 tokens. Please reduce the length of the "
          + "messages.", "invalid_request_error", "context_length_exceeded", "messages", Map.of());
      case CONTENT_FILTER -> reject.with("400 content_policy_violation", 400,
          "Your request was rejected as a result of our safety system.", "invalid_request_error",
          "content_policy_violation", null, Map.of());
      case FLAP -> {
        if (log.now() < t.flapDownS()) {
          yield reject.with("503 (down window)", 503, OVERLOADED, "server_error", "overloaded", null, Map.of());
        }
        entry.action("200 (recovered)");
        yield null;
      }
      default -> null;
    };
  }

  /** Logs the action, then answers with OpenAI's error object. */
  @FunctionalInterface
  private interface Rejection {
    Future<Boolean> with(String action, int status, String message, String type, String code, String param,
        Map<String, String> headers);
  }

  /** Accepts the request and never answers; notes when the caller hung up; closes after {@code no_response_s}. */
  private Future<Boolean> silence(WallConnection connection, WallAttempt entry, WallTiming t) {
    entry.action("no-response " + WallTiming.seconds(t.noResponseS()) + "s");
    double start = log.now();
    Promise<Boolean> over = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, t.noResponseMs()), id -> over.tryComplete(false));
    connection.onClose(() -> {
      if (over.tryComplete(false)) {
        vertx.cancelTimer(timer);
        entry.clientGaveUpAfterS(Math.round((log.now() - start) * 1000) / 1000.0);
      }
    });
    return over.future();
  }

  /** Σ(words in each message's content + 4): lets the scorecard tell a compacted retry from a blind resend. */
  static int promptTokens(JsonArray messages) {
    int tokens = 0;
    for (int i = 0; i < messages.size(); i++) {
      Object content = messages.getValue(i) instanceof JsonObject m ? m.getValue("content") : null;
      String text = content == null ? "" : content instanceof String s ? s : String.valueOf(content);
      tokens += CanonicalAnswer.words(text).size() + 4;
    }
    return tokens;
  }

  private static Future<Boolean> error(WallConnection connection, int status, String message, String type,
      String code, String param, boolean keep) {
    return send(connection, status, WallReplies.error(message, type, code, param), keep, Map.of());
  }

  private static Future<Boolean> send(WallConnection connection, int status, JsonObject body, boolean keep,
      Map<String, String> extra) {
    return connection.write(WallReplies.json(status, body, keep, extra)).map(keep);
  }
}
