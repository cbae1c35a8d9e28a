package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the caller of a gateway saw of one chat call (failoverbench's {@code CallResult}): success with the
 * text, the reported model and usage, or an error, or a hang (no result within the hard deadline).
 */
public record FailoverCall(boolean ok, String content, String reportedModel, JsonNode usage, String error,
    String errorCode, Integer status, Double retryAfter, boolean hang, double elapsedS, Double ttftS, int chunks,
    int badChunks, Boolean doneSeen) {

  /** {@code success}, {@code error} or {@code hang}. */
  public String outcome() {
    return hang ? "hang" : ok ? "success" : "error";
  }

  /** Whether the text is the whole canonical answer. */
  public boolean complete() {
    return CanonicalAnswer.isComplete(content);
  }

  static FailoverCall success(String content, String model, JsonNode usage, double elapsedS, Double ttftS,
      int chunks, int badChunks, Boolean doneSeen) {
    return new FailoverCall(true, content, model, usage, null, null, 200, null, false, elapsedS, ttftS, chunks,
        badChunks, doneSeen);
  }

  static FailoverCall failure(String error, String code, Integer status, Double retryAfter, double elapsedS) {
    return new FailoverCall(false, "", null, null, error, code, status, retryAfter, false, elapsedS, null, 0, 0, null);
  }

  static FailoverCall hang(String error, double elapsedS) {
    return new FailoverCall(false, "", null, null, error, null, null, null, true, elapsedS, null, 0, 0, null);
  }

  /** This failure with what had arrived before it. */
  FailoverCall after(String content, String model, Double ttftS, int chunks, int badChunks) {
    return new FailoverCall(false, content, model, usage, error, errorCode, status, retryAfter, false, elapsedS, ttftS,
        chunks, badChunks, doneSeen);
  }
}
