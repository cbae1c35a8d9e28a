package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.time.Clock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * failoverbench's caller ({@code http_common.call_chat} behind its {@code endpoint} adapter): one chat call to
 * {@code {base}/chat/completions} with a Bearer key, streaming with {@code stream_options.include_usage}, read
 * over a plain socket the way a careful client reads it. Non-200 is an error; lines other than {@code data:}
 * are ignored; {@code [DONE]} ends; a chunk that is not JSON is skipped; a chunk with a top-level
 * {@code error} is an error; a body that ends properly without {@code [DONE]} is a success with the text so
 * far; a connection closed or reset mid-body is an error. No result within {@code maxWallS + 1} s is a hang;
 * a read waiting longer than {@code maxWallS} is an error (the adapter's read timeout).
 */
public final class FailoverClient {
  private final String host;
  private final int port;
  private final String path;
  private final String apiKey;
  private final Clock clock = Clock.system();

  public FailoverClient(String baseUrl) {
    this(baseUrl, "failoverbench");
  }

  public FailoverClient(String baseUrl, String apiKey) {
    URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
    this.path = uri.getRawPath() + "/chat/completions";
    this.apiKey = apiKey;
  }

  /** One call with the benchmark's prompt. */
  public FailoverCall call(String model, boolean stream, double maxWallS) {
    return call(model, new JsonArray().add(new JsonObject().put("role", "user").put("content", CanonicalAnswer.PROMPT)),
        stream, maxWallS);
  }

  public FailoverCall call(String model, JsonArray messages, boolean stream, double maxWallS) {
    JsonObject payload = new JsonObject().put("model", model).put("messages", messages);
    if (stream) {
      payload.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    long t0 = clock.nanoTime();
    Socket socket = new Socket();
    try (ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<FailoverCall> call = caller.submit(() -> exchange(socket, payload, stream, maxWallS, t0));
      try {
        return call.get(Math.round((maxWallS + 1) * 1000), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        close(socket);
        return FailoverCall.hang("hang: no result within " + WallTiming.seconds(maxWallS) + "s", elapsed(t0));
      } catch (ExecutionException e) {
        return FailoverCall.failure("adapter crashed: " + e.getCause(), null, null, null, elapsed(t0));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close(socket);
        return FailoverCall.hang("interrupted", elapsed(t0));
      }
    }
  }

  private FailoverCall exchange(Socket socket, JsonObject payload, boolean stream, double maxWallS, long t0) {
    try (socket) {
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout((int) Math.round(maxWallS * 1000));
      byte[] body = payload.encode().getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + apiKey
          + "\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      ResponseReader response = new ResponseReader(new BufferedInputStream(socket.getInputStream()));
      int status = response.readHead();
      if (status != 200) {
        return refused(status, response, t0);
      }
      return stream ? new StreamReading(response, clock, t0).read() : whole(response, t0);
    } catch (IOException e) {
      return FailoverCall.failure(describe(e), null, null, null, elapsed(t0));
    }
  }

  private FailoverCall refused(int status, ResponseReader response, long t0) throws IOException {
    ErrorBody error = ErrorBody.parse(response.readBody());
    String retryAfter = response.header("retry-after");
    Double seconds = retryAfter != null && retryAfter.matches("\\d+") ? Double.valueOf(retryAfter) : null;
    return FailoverCall.failure("HTTP " + status + ": " + error.message(), error.code(), status, seconds, elapsed(t0));
  }

  private FailoverCall whole(ResponseReader response, long t0) throws IOException {
    JsonNode answer = Json.parseOrNull(response.readBody());
    if (answer == null) {
      return FailoverCall.failure("HTTP 200 with malformed JSON body", null, 200, null, elapsed(t0));
    }
    if (ErrorBody.truthy(answer.get("error"))) {
      return FailoverCall.failure("HTTP 200 with an error body: " + ErrorBody.of(answer).message(),
          ErrorBody.of(answer).code(), 200, null, elapsed(t0));
    }
    JsonNode message = answer.path("choices").path(0).path("message");
    if (!message.isObject()) {
      return FailoverCall.failure("HTTP 200 without choices[0].message", null, 200, null, elapsed(t0));
    }
    double elapsed = elapsed(t0);
    return FailoverCall.success(message.path("content").asText(""), text(answer.get("model")),
        ErrorBody.truthy(answer.get("usage")) ? answer.get("usage") : null, elapsed, elapsed, 0, 0, null);
  }

  /** The exception as httpx would name it: the failure a caller sees when a connection breaks. */
  static String describe(IOException e) {
    if (e instanceof ResponseReader.IncompleteBody) {
      return "RemoteProtocolError: " + e.getMessage();
    }
    if (e instanceof SocketTimeoutException) {
      return "ReadTimeout: " + e.getMessage();
    }
    if (e instanceof java.net.ConnectException) {
      return "ConnectError: " + e.getMessage();
    }
    return "ReadError: " + e.getMessage();
  }

  static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private double elapsed(long t0) {
    return elapsed(clock, t0);
  }

  /** Seconds since {@code t0}, to the millisecond. */
  static double elapsed(Clock clock, long t0) {
    return Math.round((clock.nanoTime() - t0) / 1_000_000.0) / 1000.0;
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is all that matters.
    }
  }
}
