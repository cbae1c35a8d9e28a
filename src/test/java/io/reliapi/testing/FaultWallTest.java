package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault wall on a real socket, read by the benchmark's client directly (no gateway between). */
class FaultWallTest {
  /** Quick faults for these tests: 0.3 s slow first token and stall, 0.5 s silence, 0.4 s outage. */
  static final WallTiming QUICK = new WallTiming("quick", 2, 0.3, 0.3, 0.5, 0.4, 0, 40, 20, 10);
  static FaultWall wall;
  static FailoverClient client;

  @BeforeAll
  static void start() {
    wall = FaultWall.start(QUICK);
    client = new FailoverClient(wall.baseUrl());
  }

  @AfterAll
  static void stop() {
    wall.close();
  }

  @BeforeEach
  void reset() {
    wall.reset();
  }

  @Test
  void streamsTheSixtyWordAnswerOneWordPerChunkThenFinishUsageAndDone() {
    String request = "{\"model\":\"fb-ok\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + CanonicalAnswer.PROMPT + "\"}]}";
    RawHttp.Response raw = RawHttp.post(wall.port(), "/v1/chat/completions", request);

    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.complete()).as("the chunked body ends with its last chunk").isTrue();
    List<SseEvents.Event> events = SseEvents.parse(raw.body());
    assertThat(events).hasSize(1 + 60 + 1 + 1 + 1);
    assertThat(events.get(0).json().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(events.get(1).json().at("/choices/0/delta/content").asText()).isEqualTo("A");
    assertThat(events.get(2).json().at("/choices/0/delta/content").asText()).isEqualTo(" gateway");
    assertThat(events.get(61).json().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(events.get(62).json().at("/usage/completion_tokens").asInt()).isEqualTo(60);
    assertThat(events.get(62).json().at("/usage/prompt_tokens").asInt()).as("17 words + 4").isEqualTo(21);
    assertThat(events.get(63).data()).isEqualTo("[DONE]");
    ChunkStream stream = ChunkStream.of(raw.body());
    assertThat(stream.text()).isEqualTo(CanonicalAnswer.TEXT);
    assertThat(events.get(1).json().get("model").asText()).isEqualTo("fb-ok");
  }

  @Test
  void logsEachAttemptWithItsModelNumberRoleAndPromptSize() {
    client.call("fb-ok", true, 5);
    client.call("gw/fb-ok", false, 5);

    List<WallAttempt> log = wall.log();
    assertThat(log).extracting(WallAttempt::model).containsExactly("fb-ok", "gw/fb-ok");
    assertThat(log).extracting(WallAttempt::attempt).containsExactly(1, 1);
    assertThat(log).extracting(WallAttempt::stream).containsExactly(true, false);
    assertThat(log).extracting(WallAttempt::lastRole).containsExactly("user", "user");
    assertThat(log).extracting(WallAttempt::promptTokens).containsExactly(21, 21);
    assertThat(log).extracting(WallAttempt::action).containsExactly("200 stream", "200");
    assertThat(log.get(1).t()).isGreaterThanOrEqualTo(log.get(0).t());
  }

  @Test
  void answersWholeWhenNotAskedToStream() {
    FailoverCall call = client.call("fb-ok", false, 5);

    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.complete()).isTrue();
    assertThat(call.usage().get("total_tokens").asInt()).isEqualTo(81);
  }

  @Test
  void picksTheFaultByTheModelsLastPathSegment() {
    assertThat(WallFault.forModel("s08/fb-s08-stream-cut")).contains(WallFault.STREAM_CUT);
    assertThat(WallFault.forModel("openai/FB-S14-anything")).contains(WallFault.STREAM_CUT_NO_PREFILL_FALLBACK);
    assertThat(WallFault.forModel("fb-ok-noprefill")).contains(WallFault.OK_NOPREFILL);
    assertThat(WallFault.forModel("fb-s99-nothing")).isEmpty();
    assertThat(WallFault.forModel("gpt-4o")).isEmpty();
  }

  @Test
  void answersAnUnknownModelWith404ModelNotFound() {
    FailoverCall call = client.call("gpt-4o", true, 5);

    assertThat(call.status()).isEqualTo(404);
    assertThat(call.errorCode()).isEqualTo("model_not_found");
    assertThat(call.error()).contains("The model `gpt-4o` does not exist");
  }

  @Test
  void rateLimitsTheFirstAttemptWithRetryAfterThenAnswers() {
    FailoverCall first = client.call("fb-s01-429-retry-after", true, 5);
    FailoverCall second = client.call("fb-s01-429-retry-after", true, 5);

    assertThat(first.status()).isEqualTo(429);
    assertThat(first.retryAfter()).isEqualTo(2.0);
    assertThat(first.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(first.error()).contains("Please retry after 2 seconds.");
    assertThat(second.complete()).isTrue();
    // The wall names what it did from its own thread, which may lag the client's read by a moment.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(wall.log()).extracting(WallAttempt::action)
        .containsExactly("429 retry-after=2", "200 stream"));
  }

  @Test
  void keepsRateLimitingWithoutRetryAfter() {
    for (int i = 0; i < 3; i++) {
      FailoverCall call = client.call("fb-s02-429-persistent", true, 5);
      assertThat(call.status()).isEqualTo(429);
      assertThat(call.retryAfter()).isNull();
    }
  }

  @Test
  void failsTheFirstAttemptWith500ThenAnswers() {
    assertThat(client.call("fb-s03-500-then-200", true, 5).status()).isEqualTo(500);
    assertThat(client.call("fb-s03-500-then-200", true, 5).complete()).isTrue();
  }

  @Test
  void keepsAnsweringOverloaded503() {
    FailoverCall call = client.call("fb-s04-503-persistent", true, 5);

    assertThat(call.status()).isEqualTo(503);
    assertThat(call.errorCode()).isEqualTo("overloaded");
    assertThat(client.call("fb-s16-503-persistent", true, 5).status()).isEqualTo(503);
  }

  @Test
  void resetsTheFirstConnectionBeforeAnyByteThenAnswers() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", wall.port())) {
      socket.setSoTimeout(5_000);
      byte[] body = "{\"model\":\"fb-s05-reset\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: wall\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      assertThatThrownBy(() -> socket.getInputStream().read()).as("a reset, not a byte or a clean close")
          .isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }
    FailoverCall second = client.call("fb-s05-reset", true, 5);

    assertThat(second.complete()).isTrue();
    assertThat(wall.log()).extracting(WallAttempt::action).containsExactly("tcp-reset", "200 stream");
  }

  @Test
  void neverAnswersTheSilentModelAndNotesWhenTheCallerHungUp() {
    FailoverCall call = client.call("fb-s06-no-response", true, 0.2);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.error()).startsWith("ReadTimeout");
    await().atMost(Duration.ofSeconds(5)).until(() -> wall.log().getFirst().clientGaveUpAfterS() != null);
    assertThat(wall.log().getFirst().clientGaveUpAfterS()).isBetween(0.1, 0.5);
    assertThat(wall.log().getFirst().action()).isEqualTo("no-response 0.5s");
  }

  @Test
  void delaysTheFirstTokenThenStreamsNormally() {
    FailoverCall call = client.call("fb-s07-slow-ttft", true, 5);

    assertThat(call.complete()).isTrue();
    assertThat(call.ttftS()).isGreaterThanOrEqualTo(0.3);
    assertThat(wall.log().getFirst().action()).isEqualTo("200 stream, first token after 0.3s");
  }

  @Test
  void cutsTheStreamAfterFortyWordsWithoutItsTerminatingChunk() {
    RawHttp.Response raw = rawCall("fb-s08-stream-cut");
    FailoverCall call = client.call("fb-s08-stream-cut", true, 5);

    assertThat(raw.complete()).isFalse();
    assertThat(ChunkStream.of(raw.body()).done()).isFalse();
    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.error()).startsWith("RemoteProtocolError");
    assertThat(CanonicalAnswer.words(call.content())).hasSize(40);
    assertThat(wall.log().getFirst().action()).isEqualTo("200 stream cut after 40 tokens (no terminating chunk)");
  }

  @Test
  void stallsAfterTwentyWordsThenClosesWithoutTerminatingTheBody() {
    FailoverCall call = client.call("fb-s09-stream-stall", true, 5);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.elapsedS()).isGreaterThanOrEqualTo(0.3);
    assertThat(CanonicalAnswer.words(call.content())).hasSize(20);
    assertThat(wall.log().getFirst().action()).isEqualTo("200 stream stalled after 20 tokens for 0.3s then close");
  }

  @Test
  void slipsAnInvalidEventBeforeTheTenthWordAndOtherwiseCompletes() {
    RawHttp.Response raw = rawCall("fb-s10-malformed-chunk");
    FailoverCall call = client.call("fb-s10-malformed-chunk", true, 5);

    assertThat(raw.complete()).isTrue();
    List<SseEvents.Event> events = SseEvents.parse(raw.body());
    assertThat(events.get(11).data()).startsWith("{\"id\": \"chatcmpl-fb-1\", \"object\": \"chat.completion.chunk\"");
    assertThat(call.complete()).as("the client skips the bad chunk").isTrue();
    assertThat(call.badChunks()).isEqualTo(1);
  }

  @Test
  void endsTheBodyProperlyWithoutDone() {
    RawHttp.Response raw = rawCall("fb-s11-no-done");
    FailoverCall call = client.call("fb-s11-no-done", true, 5);

    assertThat(raw.complete()).isTrue();
    assertThat(ChunkStream.of(raw.body()).done()).isFalse();
    assertThat(ChunkStream.of(raw.body()).finishReason()).isEqualTo("stop");
    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.doneSeen()).isFalse();
    assertThat(call.usage()).isNotNull();
  }

  @Test
  void rejectsTooLongContextAndContentPolicyWith400AndTheProvidersCode() {
    FailoverCall context = client.call("fb-s12-context-length", true, 5);
    FailoverCall policy = client.call("fb-s13-content-filter", true, 5);

    assertThat(context.status()).isEqualTo(400);
    assertThat(context.errorCode()).isEqualTo("context_length_exceeded");
    assertThat(policy.status()).isEqualTo(400);
    assertThat(policy.errorCode()).isEqualTo("content_policy_violation");
    assertThat(policy.error()).contains("safety system");
  }

  @Test
  void continuesAnAssistantPrefillWithTheRestOfTheAnswer() {
    String said = String.join(" ", CanonicalAnswer.WORDS.subList(0, 40));
    FailoverCall call = client.call("fb-ok", prefill(said), true, 5);

    assertThat(CanonicalAnswer.isComplete(said + call.content())).isTrue();
    assertThat(call.content()).startsWith(" " + CanonicalAnswer.WORDS.get(40));
    assertThat(call.usage().get("completion_tokens").asInt()).isEqualTo(20);
    assertThat(wall.log().getFirst().lastRole()).isEqualTo("assistant");
  }

  @Test
  void theNoPrefillModelRejectsAConversationEndingWithTheAssistant() {
    FailoverCall call = client.call("fb-ok-noprefill", prefill("A gateway"), true, 5);

    assertThat(call.status()).isEqualTo(400);
    assertThat(call.errorCode()).isEqualTo("invalid_prefill");
    assertThat(wall.log().getFirst().action()).isEqualTo("400 prefill_rejected");
    assertThat(client.call("fb-ok-noprefill", true, 5).complete()).isTrue();
  }

  @Test
  void theFlappingModelIsOverloadedUntilTheOutageEndsAfterReset() {
    assertThat(client.call("fb-s15-flap", true, 5).status()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(5)).until(() -> wall.now() >= QUICK.flapDownS());
    FailoverCall after = client.call("fb-s15-flap", true, 5);

    assertThat(after.complete()).isTrue();
    assertThat(wall.log()).extracting(WallAttempt::action).containsExactly("503 (down window)", "200 (recovered)");
  }

  @Test
  void controlRoutesResetReportAndRetime() {
    TestHttp http = new TestHttp("http://127.0.0.1:" + wall.port());
    client.call("fb-ok", true, 5);

    JsonObject log = new JsonObject(http.get("/control/log").body());
    assertThat(log.getJsonArray("log")).hasSize(1);
    assertThat(log.getJsonArray("log").getJsonObject(0).getString("action")).isEqualTo("200 stream");
    assertThat(http.post("/control/reset", "").status()).isEqualTo(200);
    assertThat(wall.log()).isEmpty();
    JsonObject config = new JsonObject(http.post("/control/config", "{\"profile\":\"fast\",\"timing\":{\"stall_s\":7}}")
        .body());
    assertThat(config.getJsonObject("timing").getDouble("stall_s")).isEqualTo(7.0);
    assertThat(wall.timing().slowTtftS()).isEqualTo(3.0);
    assertThat(http.get("/v1/models").body()).contains("fb-s08", "fb-ok-noprefill");
    wall.timing(QUICK);
  }

  static JsonArray prefill(String said) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", CanonicalAnswer.PROMPT))
        .add(new JsonObject().put("role", "assistant").put("content", said));
  }

  private static RawHttp.Response rawCall(String model) {
    return RawHttp.post(wall.port(), "/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }
}
