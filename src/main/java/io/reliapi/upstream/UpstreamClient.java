package io.reliapi.upstream;

import io.reliapi.config.TargetConfig;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.time.Clock;
import io.reliapi.time.IdleTimer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * Sends calls to one target over a pooled, keep-alive connection set owned by one event loop. Redirects
 * are not followed (a 3xx goes back to the client), bodies are not decompressed, and every failure is
 * classified by whether the request may have reached the upstream. Every attempt has a total time limit,
 * streamed answers included, so no reader, however slow, holds a connection past it; and when every
 * connection is busy an attempt waits only briefly, then fails fast with OVERLOADED, which is no fault of the
 * target.
 */
public final class UpstreamClient {
  /** Below common server idle timeouts (Node.js closes idle connections after 5 s), so a pooled
   * connection is rarely reused just as the server closes it, which would look like a reset after send. */
  private static final int KEEP_ALIVE_TIMEOUT_S = 4;
  /**
   * The largest answer head read from an upstream (Vert.x's default is 8 KiB, less than some APIs send with
   * long cookies or security policies); as Envoy's default, 60 KiB and a little more.
   */
  static final int MAX_ANSWER_HEAD_BYTES = 64 * 1024;
  /** How long an attempt waits for a busy pool to hand back a connection before it is refused. */
  static final long POOL_WAIT_MS = 250;

  private final Vertx vertx;
  private final HttpClient http;
  private final TargetConfig target;
  private final CallWriter writer;
  private final UpstreamAnswers answers;
  private final PoolSlots slots;
  /** This client's share of {@link #slots}: no more places than its own pool has connections. */
  private final PoolSlots.Share share;

  /** Makes one event loop's client for {@code target}, known as {@code key} among the loop's {@code places}. */
  @FunctionalInterface
  public interface Maker {
    UpstreamClient make(Vertx vertx, TargetConfig target, PoolPlaces places, String key);
  }

  /** A client with connection places of its own (shared with no other client). */
  public UpstreamClient(Vertx vertx, TargetConfig target, int poolSize, Headers credentials) {
    this(vertx, target, poolSize, credentials, new PoolPlaces(), target.name());
  }

  /**
   * A client whose attempts take the connection places {@code key} has among {@code places}: those of the client it
   * replaces, if any, which count the connections that client's calls still hold.
   */
  public UpstreamClient(Vertx vertx, TargetConfig target, int poolSize, Headers credentials, PoolPlaces places,
      String key) {
    this.vertx = vertx;
    this.target = target;
    this.writer = new CallWriter(target.baseUrl(), target.connectTimeoutMs(), credentials);
    this.answers = new UpstreamAnswers(vertx);
    // As many attempts may wait for a busy pool as it has connections. They wait for a place, not in Vert.x's wait
    // queue: an attempt asks Vert.x for a connection only while it holds a place, so that queue (a backstop) holds at
    // most the attempts handed a place just before the connection they get comes back to the pool.
    this.slots = places.of(key, poolSize, poolSize);
    this.share = new PoolSlots.Share(poolSize);
    HttpClientOptions options = ClientTls.apply(new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_TIMEOUT_S)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, target.connectTimeoutMs()))
        .setDecompressionSupported(false)
        .setMaxHeaderSize(MAX_ANSWER_HEAD_BYTES)
        .setMaxRedirects(0), writer.ssl(), writer.host(), target.tls());
    this.http = vertx.createHttpClient(options,
        new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(2 * poolSize));
  }

  public TargetConfig target() {
    return target;
  }

  /**
   * Returns the name a client is known by among an event loop's clients: its target's, or for a deployment
   * {@code target/deployment} ({@code /} never occurs in either name).
   */
  public static String key(String target, String deployment) {
    return deployment == null ? target : target + "/" + deployment;
  }

  /** Sends {@code call}; the future fails with a classified {@code GatewayException}. */
  public Future<Reply> send(HttpCall call, Attempt attempt) {
    PoolSlots.Place place = slots.take(share);
    if (place == null) {
      return Future.failedFuture(Failures.overloaded());
    }
    RequestOptions options;
    try {
      options = writer.options(call, attempt);
    } catch (RuntimeException e) {
      place.giveBack();
      return Future.failedFuture(Failures.unprepared(e));
    }
    Promise<Reply> result = Promise.promise();
    InFlight flight = new InFlight(result, place::giveBack);
    // A whole-body attempt's total time is its timeout (a slow trickle never trips the idle timeout); any
    // other answer's body must end within the stream limit, however slowly the client reads it. A watch that is
    // never restarted is a deadline: the event loop's sweeper checks it, no timer is set per attempt.
    flight.limitedBy(attempt.buffer()
        ? new IdleTimer(vertx, Math.max(1, attempt.timeoutMs()), () -> flight.expire(attempt.timedOut(flight.sent)))
        : new IdleTimer(vertx, Math.max(1, attempt.streamLimitMs()), () -> flight.expire(Failures.timeout(flight.sent))));
    Runnable unlisten = attempt.cancellation().onCancel(() -> flight.fail(GatewayException.clientGone(flight.sent)));
    result.future().onComplete(done -> unlisten.run());
    if (result.future().isComplete()) {
      // Its client had left already (the cancellation ran at once): its place went back; ask for no connection.
      return result.future();
    }
    if (place.holding()) {
      connect(call, attempt, options, flight);
    } else {
      // Every place is held: wait briefly for one (the attempt's end, its client leaving included, leaves the queue).
      IdleTimer wait = new IdleTimer(vertx, POOL_WAIT_MS, () -> flight.fail(Failures.overloaded()));
      wait.restart();
      result.future().onComplete(done -> wait.stop());
      place.whenHeld(() -> {
        wait.stop();
        connect(call, attempt, options, flight);
      });
    }
    return result.future();
  }

  /** Asks the pool for a connection for an attempt holding a place, and sends the call on it. */
  private void connect(HttpCall call, Attempt attempt, RequestOptions options, InFlight flight) {
    Promise<Reply> result = flight.result;
    http.request(options).onComplete(connected -> {
      if (connected.failed()) {
        flight.fail(Failures.notObtained(connected.cause(), attempt, target.connectTimeoutMs()));
        flight.obtained(null);
        return;
      }
      HttpClientRequest request = connected.result();
      flight.obtained(request);
      if (result.future().isComplete()) {
        return;
      }
      try {
        writer.writeHeaders(request, call, attempt.requestId());
      } catch (RuntimeException e) {
        // Nothing has left the gateway yet (the head goes out with the body), so the attempt ends at once
        // as not sent instead of waiting for its timeout.
        flight.fail(Failures.unprepared(e));
        return;
      }
      flight.sent = true;
      ClientUpload upload = call.body() instanceof Body.Stream stream
          ? new ClientUpload(stream.source(), Clock.system()) : null;
      IdleTimer head = headTimer(flight, attempt, upload);
      CallWriter.sendBody(request, call.body(), upload).onComplete(response -> {
        if (head != null) {
          head.stop();
        }
        if (response.failed()) {
          flight.fail(Failures.beforeAnswerHead(response.cause(), attempt, upload));
        } else {
          answers.read(response.result(), flight, attempt);
        }
      });
    });
  }

  /**
   * Returns the limit on the wait for the answer's head of an attempt whose answer is not read whole, started
   * now: its timeout ({@link Attempt#limit}); a whole-body attempt's own timer covers it already. A sweeper's
   * watch, not a timer per request (Vert.x's request idle timeout set and cancelled one each time).
   */
  private IdleTimer headTimer(InFlight flight, Attempt attempt, ClientUpload upload) {
    if (attempt.buffer()) {
      return null;
    }
    IdleTimer head = new IdleTimer(vertx, Math.max(1, attempt.timeoutMs()),
        () -> flight.fail(Failures.beforeAnswerHead(
            new TimeoutException("no answer head within the attempt's timeout"), attempt, upload)));
    head.restart();
    flight.result.future().onComplete(done -> head.stop());
    return head;
  }

  public Future<Void> close() {
    return http.close();
  }
}
