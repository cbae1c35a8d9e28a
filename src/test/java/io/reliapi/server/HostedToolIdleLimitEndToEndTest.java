package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.AnthropicSearch;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A tool the provider runs on its side (a hosted web search) may take far longer than the idle limit after the first
 * token, and all the provider sends meanwhile is that it is at work: the Responses API's
 * {@code response.web_search_call.searching}, Anthropic's {@code ping} between a {@code server_tool_use} and its
 * result. Those start the limit over, so the searched answer arrives whole (docs/streaming.md). For a while on
 * 2026-12-08 only decoded content did, and such a search ended in {@code UPSTREAM_TIMEOUT} after the first words
 * (before the commit point, in a retry: another billed call). A ping with no server tool running still does not
 * ({@link StalledStreamEndToEndTest}).
 */
class HostedToolIdleLimitEndToEndTest {
  /** The search runs for five idle limits, its provider saying so every 50 ms (a sixth of the limit: room for a busy machine). */
  static final Duration SEARCH = Duration.ofMillis(1500);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
        targets:
          searching:
            base_url: "%1$s/v1"
            timeout_ms: 5000
            %2$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, responses_api: true, stream_idle_timeout_ms: 300}
        """ + StalledStreamEndToEndTest.PINGING).formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /** Only a Responses client's request goes to the Responses API as written: a chat request goes to the chat API. */
  @Test
  void aHostedSearchLongerThanTheIdleLimitSayingItIsSearchingEndsInTheWholeAnswer() {
    List<String> events = ResponsesBehaviors.searchEvents("gpt-4o-mini", "Let me search.", " Vert.x 5 is out.");
    AtomicBoolean reset = new AtomicBoolean();
    e2e.up().script("POST /v1/responses", StalledStreamEndToEndTest.pausesAfter(events,
        ResponsesBehaviors.searchRuns(events), reset, ResponsesBehaviors.SEARCHING, 50, SEARCH));

    Streamed searched = StreamRoute.RESPONSES.call(e2e.gw(), "searching");

    assertThat(searched.whole()).as(searched.body()).isTrue();
    assertThat(searched.text()).isEqualTo("Let me search. Vert.x 5 is out.");
    assertThat(reset).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = StreamRoute.class, names = {"V1", "ANTHROPIC"})
  void anAnthropicServerToolLongerThanTheIdleLimitPingingMeanwhileEndsInTheWholeAnswer(StreamRoute route) {
    AtomicBoolean reset = new AtomicBoolean();
    e2e.up().script(StalledStreamEndToEndTest.MESSAGES, StalledStreamEndToEndTest.pausesAfter(
        AnthropicSearch.streamedEvents(), AnthropicSearch.resultEvent(), reset, StalledStreamEndToEndTest.PING, 50, SEARCH));

    Streamed searched = route.call(e2e.gw(), "pinging");

    assertThat(searched.whole()).as(searched.body()).isTrue();
    assertThat(searched.text()).isEqualTo(AnthropicSearch.TEXT);
    assertThat(reset).isFalse();
  }
}
