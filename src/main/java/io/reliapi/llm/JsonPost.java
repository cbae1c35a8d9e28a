package io.reliapi.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Json;

/**
 * A call to a provider: a JSON body POSTed to a path, asking for an event stream when the answer streams and
 * for JSON otherwise, and for no content coding: the gateway reads every answer (prices it, translates it), and a
 * request without {@code Accept-Encoding} lets a server compress its answer (RFC 9110 §12.5.3), which the gateway
 * would then read as garbage. Every provider adapter sends its calls this way.
 */
public final class JsonPost {
  private static final String JSON = "application/json";
  private static final String EVENT_STREAM = "text/event-stream";
  private static final Headers WHOLE = headers(Headers.of(), false);
  private static final Headers STREAMED = headers(Headers.of(), true);

  private JsonPost() {}

  /** Returns the POST of {@code body} to {@code path} with only the content headers. */
  public static HttpCall of(String path, ObjectNode body, boolean stream) {
    return of(path, headers(stream), body);
  }

  /** Returns the POST of {@code body} to {@code path} with {@code headers} (see {@link #headers}). */
  public static HttpCall of(String path, Headers headers, ObjectNode body) {
    return new HttpCall("POST", path, headers, Body.of(Json.write(out -> Json.MAPPER.writeTree(out, body))));
  }

  /** Returns the content headers of a call whose answer streams or not. */
  public static Headers headers(boolean stream) {
    return stream ? STREAMED : WHOLE;
  }

  /** Returns {@code first}, then the content headers of a call whose answer streams or not. */
  public static Headers headers(Headers first, boolean stream) {
    return first.with("Content-Type", JSON).with("Accept", stream ? EVENT_STREAM : JSON)
        .with("Accept-Encoding", "identity");
  }
}
