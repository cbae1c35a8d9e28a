package io.reliapi.policy.resume;

import static io.reliapi.policy.resume.ResumeGateway.cutAfter;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.AnthropicSearch;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream holding a provider's own item (an Anthropic server tool call and its results) is no text-only stream:
 * cut after it, it is never continued, as a stream with a tool call is not (a prefill could not carry the item).
 */
class StreamResumeItemsEndToEndTest {
  @RegisterExtension
  static final GatewayExtension e2e = ResumeGateway.create();

  @Test
  void aCutAfterAServerToolBlockEndsInTheErrorEventForEveryClient() {
    for (StreamRoute route : List.of(StreamRoute.ANTHROPIC, StreamRoute.V1)) {
      List<String> events = new ArrayList<>(cutAfter(List.of("Let me search.")));
      events.add(event("content_block_stop", "\"index\":0"));
      events.add(event("content_block_start", "\"index\":1,\"content_block\":" + AnthropicSearch.CALL));
      events.add(event("content_block_stop", "\"index\":1"));
      events.add(event("content_block_start", "\"index\":2,\"content_block\":" + AnthropicSearch.RESULT));
      events.add(event("content_block_stop", "\"index\":2"));
      e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(events, 1));
      int before = e2e.up().requests().size();

      Streamed answer = route.call(e2e.gw(), "claude");

      assertThat(answer.error()).as(answer.body()).isNotNull();
      assertThat(answer.whole()).isFalse();
      assertThat(e2e.up().requests().size() - before).as("never continued").isEqualTo(1);
    }
  }

  static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + fields + "}\n\n";
  }
}
