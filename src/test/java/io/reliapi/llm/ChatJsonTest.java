package io.reliapi.llm;

import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatJsonTest {
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\", \"name\": \"ann\"}]";

  @Test
  void givesEqualRequestsEqualBytesWhateverTheKeyOrder() {
    var a = request("gpt-4o", HI, 100, false, "{\"a\": 1, \"b\": {\"y\": 2, \"x\": 1}}", "{}");
    var b = request("gpt-4o", "[{\"name\": \"ann\", \"content\": \"Hi\", \"role\": \"user\"}]", 100, false,
        "{\"b\": {\"x\": 1, \"y\": 2}, \"a\": 1}", "{}");
    assertThat(ChatJson.canonical(a)).isEqualTo(ChatJson.canonical(b));
  }

  @Test
  void leavesOutHowTheAnswerTravels() {
    var plain = request("gpt-4o", HI, 100, false, "{}", "{}");
    var streamed = request("gpt-4o", HI, 100, true, "{\"stream_options\": {\"include_usage\": true}}", "{}");
    assertThat(ChatJson.canonical(plain)).isEqualTo(ChatJson.canonical(streamed));
  }

  @Test
  void changesWithEveryFieldThatChangesTheAnswer() {
    var base = ChatJson.canonical(request("gpt-4o", HI, 100, false, "{}", "{}"));
    assertThat(ChatJson.canonical(request("gpt-4o-mini", HI, 100, false, "{}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 101, false, "{}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 100, false, "{\"seed\": 1}", "{}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI, 100, false, "{}", "{\"top_k\": 3}"))).isNotEqualTo(base);
    assertThat(ChatJson.canonical(request("gpt-4o", HI.replace("Hi", "Hi!"), 100, false, "{}", "{}"))).isNotEqualTo(base);
  }
}
