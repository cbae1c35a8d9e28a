package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's caller against a scripted endpoint: what counts as success, error and hang. */
class FailoverClientTest {
  static MockUpstream endpoint;
  static FailoverClient client;
  static final String ROUTE = "POST /v1/chat/completions";

  @BeforeAll
  static void start() {
    endpoint = MockUpstream.start();
    client = new FailoverClient(endpoint.baseUrl() + "/v1", "sk-bench");
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  @BeforeEach
  void clean() {
    endpoint.reset();
  }

  static List<String> events(String... pieces) {
    return LlmBehaviors.openAiStreamEvents("fb-ok", List.of(pieces), 21, pieces.length);
  }

  @Test
  void sendsAStreamingRequestAskingForUsageWithTheBearerKey() {
    endpoint.script(ROUTE, LlmBehaviors.sse(events("Hi"), 1));
    client.call("gw/fb-ok", true, 5);

    var request = endpoint.last();
    assertThat(request.header("Authorization")).isEqualTo("Bearer sk-bench");
    assertThat(request.bodyText()).contains("\"model\":\"gw/fb-ok\"", "\"stream\":true",
        "\"stream_options\":{\"include_usage\":true}", CanonicalAnswer.PROMPT);
  }

  @Test
  void addsUpTheTextModelAndUsageOfACompleteStream() {
    endpoint.script(ROUTE, LlmBehaviors.sse(events("Hello", " there"), 1));
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.content()).isEqualTo("Hello there");
    assertThat(call.reportedModel()).isEqualTo("fb-ok");
    assertThat(call.usage().get("prompt_tokens").asInt()).isEqualTo(21);
    assertThat(call.doneSeen()).isTrue();
  }

  @Test
  void anInBandErrorEventAfterSomeTextIsAnErrorNotATruncatedSuccess() {
    List<String> stream = new ArrayList<>(events("A", " gateway").subList(0, 3));
    stream.add("data: {\"error\":{\"message\":\"upstream died\",\"code\":\"500\"}}\n\n");
    endpoint.script(ROUTE, LlmBehaviors.sse(stream, 1));
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.error()).isEqualTo("in-band error event after 3 chunk(s): upstream died");
    assertThat(call.errorCode()).isEqualTo("500");
    assertThat(call.content()).as("kept for the record").isEqualTo("A gateway");
  }

  @Test
  void skipsChunksThatAreNotJsonAndLinesThatAreNotData() {
    List<String> stream = new ArrayList<>(events("A", " gateway"));
    stream.add(1, ": keep-alive\n\n");
    stream.add(2, "data: {\"choices\": [{\"delta\": {\"content\": \n\n");
    endpoint.script(ROUTE, LlmBehaviors.sse(stream, 1));
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.content()).isEqualTo("A gateway");
    assertThat(call.badChunks()).isEqualTo(1);
  }

  @Test
  void aBodyEndedProperlyWithoutDoneIsASuccessWithTheTextSoFar() {
    endpoint.script(ROUTE, LlmBehaviors.sse(events("A", " gateway").subList(0, 2), 1));
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.content()).isEqualTo("A");
    assertThat(call.doneSeen()).isFalse();
    assertThat(call.complete()).isFalse();
  }

  @Test
  void aConnectionClosedInTheMiddleOfTheBodyIsAnError() {
    endpoint.script(ROUTE, LlmBehaviors.sseThenReset(events("A", " gateway").subList(0, 2), 1));
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.error()).startsWith("RemoteProtocolError: peer closed connection");
    assertThat(call.content()).isEqualTo("A");
  }

  @Test
  void aNon200AnswerIsAnErrorWithItsMessageCodeAndRetryAfter() {
    endpoint.script(ROUTE, LlmBehaviors.openAiRateLimited());
    FailoverCall call = client.call("fb-ok", true, 5);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.status()).isEqualTo(429);
    assertThat(call.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(call.retryAfter()).isEqualTo(20.0);
    assertThat(call.error()).startsWith("HTTP 429: Rate limit reached");
  }

  @Test
  void aStreamThatKeepsTricklingPastTheHardDeadlineIsAHang() {
    AtomicBoolean closed = new AtomicBoolean();
    endpoint.script(ROUTE, LlmBehaviors.endlessOpenAiStream(closed, 50));
    FailoverCall call = client.call("fb-ok", true, 0.3);

    assertThat(call.outcome()).isEqualTo("hang");
    assertThat(call.elapsedS()).isGreaterThanOrEqualTo(1.3);
  }

  @Test
  void aServerSilentForLongerThanTheReadTimeoutIsAnError() {
    endpoint.script(ROUTE, Behavior.silence());
    FailoverCall call = client.call("fb-ok", true, 0.3);

    assertThat(call.outcome()).isEqualTo("error");
    assertThat(call.error()).startsWith("ReadTimeout");
  }

  @Test
  void readsAWholeAnswerWhenNotStreaming() {
    endpoint.script(ROUTE, LlmBehaviors.openAi("fb-ok", "Hi", 21, 1));
    FailoverCall call = client.call("fb-ok", false, 5);

    assertThat(call.outcome()).isEqualTo("success");
    assertThat(call.content()).isEqualTo("Hi");
    assertThat(call.usage().get("total_tokens").asInt()).isEqualTo(22);
    assertThat(endpoint.last().bodyText()).doesNotContain("stream");
  }
}
