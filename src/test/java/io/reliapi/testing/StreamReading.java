package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.time.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@link FailoverClient}'s reading of a 200 chat stream, line by line as it arrives, with the benchmark's
 * lenient rules: lines other than {@code data:} are ignored, a chunk that is not JSON is counted and skipped,
 * a chunk with a top-level {@code error} ends the call as an error (the text so far kept only for the record),
 * {@code [DONE]} or the proper end of the body ends it as a success.
 */
final class StreamReading {
  private final ResponseReader response;
  private final Clock clock;
  private final long t0;
  private final StringBuilder content = new StringBuilder();
  private JsonNode usage;
  private String reported;
  private Double ttft;
  private int chunks;
  private int bad;

  StreamReading(ResponseReader response, Clock clock, long t0) {
    this.response = response;
    this.clock = clock;
    this.t0 = t0;
  }

  FailoverCall read() {
    boolean done = false;
    try {
      for (String line; (line = response.readLine()) != null; ) {
        if (!line.startsWith("data:")) {
          continue;
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          done = true;
          break;
        }
        JsonNode chunk = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
        if (chunk == null) {
          bad++;
          continue;
        }
        if (!chunk.isObject()) {
          return failure("adapter crashed: a chunk that is not an object: " + data);
        }
        if (ErrorBody.truthy(chunk.get("error"))) {
          ErrorBody error = ErrorBody.of(chunk);
          // A gateway that already sent 200 and some text can only report a failure in-band: an error, never
          // a truncated success.
          return FailoverCall.failure("in-band error event after " + chunks + " chunk(s): " + error.message(),
              error.code(), 200, null, elapsed()).after(content.toString(), reported, ttft, chunks, bad);
        }
        take(chunk);
      }
    } catch (IOException e) {
      return failure(FailoverClient.describe(e));
    }
    return FailoverCall.success(content.toString(), reported, usage, elapsed(), ttft, chunks, bad, done);
  }

  private void take(JsonNode chunk) {
    chunks++;
    String model = FailoverClient.text(chunk.get("model"));
    reported = model != null ? model : reported;
    if (ErrorBody.truthy(chunk.get("usage"))) {
      usage = chunk.get("usage");
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode text = choice.path("delta").path("content");
      if (text.isTextual() && !text.asText().isEmpty()) {
        if (ttft == null) {
          ttft = elapsed();
        }
        content.append(text.asText());
      }
    }
  }

  private FailoverCall failure(String error) {
    return FailoverCall.failure(error, null, null, null, elapsed()).after(content.toString(), null, ttft, chunks, bad);
  }

  private double elapsed() {
    return FailoverClient.elapsed(clock, t0);
  }
}
