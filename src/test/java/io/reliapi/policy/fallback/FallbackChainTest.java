package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.TokenCount;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.pipeline.Exchange;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbackChainTest {
  private static Map<String, TargetConfig> targets(String yaml) {
    return ConfigLoader.parse(yaml, name -> null).targets();
  }

  private static java.util.List<String> names(Map<String, TargetConfig> targets, String first) {
    return FallbackChain.of(targets, first).stream().map(TargetConfig::name).toList();
  }

  @Test
  void isJustTheTargetWithoutFallbacks() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1"}
        """);
    assertThat(names(targets, "a")).containsExactly("a");
  }

  @Test
  void listsFallbacksInOrderFollowingEachOnesOwnFallbacksFirst() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", fallback_targets: [b, c]}
          b: {base_url: "http://127.0.0.1:2", fallback_targets: [d]}
          c: {base_url: "http://127.0.0.1:3"}
          d: {base_url: "http://127.0.0.1:4"}
        """);
    assertThat(names(targets, "a")).containsExactly("a", "b", "d", "c");
    assertThat(names(targets, "b")).containsExactly("b", "d");
  }

  @Test
  void continuesWithTheGivenTargetsAndTheirFallbacksSkippingThoseTried() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", fallback_targets: [b]}
          b: {base_url: "http://127.0.0.1:2"}
          big: {base_url: "http://127.0.0.1:3", fallback_targets: [b, bigger]}
          bigger: {base_url: "http://127.0.0.1:4"}
        """);
    var tried = FallbackChain.of(targets, "a").subList(0, 1);
    var chain = FallbackChain.continuedBy(targets, tried, java.util.List.of("big", "a"));

    assertThat(chain.stream().map(TargetConfig::name)).containsExactly("a", "big", "b", "bigger");
  }

  @Test
  void triesATargetReachedTwiceOnlyOnce() {
    var targets = targets("""
        targets:
          a: {base_url: "http://127.0.0.1:1", fallback_targets: [b, c]}
          b: {base_url: "http://127.0.0.1:2", fallback_targets: [c]}
          c: {base_url: "http://127.0.0.1:3"}
        """);
    assertThat(names(targets, "a")).containsExactly("a", "b", "c");
  }

  @Test
  void keepsANativeChatCallOnTargetsOfItsOwnProtocol() {
    var targets = targets("""
        targets:
          openai: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: gpt-4o-mini},
                   fallback_targets: [claude, groq]}
          claude: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5}}
          groq: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: llama}}
        """);
    var chain = FallbackChain.of(targets, "openai");
    ChatRequest routed = ChatFixtures.request("gpt-4o-mini", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 1,
        false, "{}", "{}");
    ChatRequest raw = new OpenAiProvider().readNative((ObjectNode) ChatFixtures.json("{\"messages\": []}"));
    assertThat(FallbackChain.servable(chain, exchange(targets.get("openai"), routed)).stream().map(TargetConfig::name))
        .containsExactly("openai", "claude", "groq");
    assertThat(FallbackChain.servable(chain, exchange(targets.get("openai"), raw)).stream().map(TargetConfig::name))
        .containsExactly("openai", "groq");
    // A body written in a provider protocol but answered in the gateway's rendering may go anywhere.
    ChatRequest rendered = new ChatRequest(routed.requestedModel(), routed.model(), routed.messages(),
        routed.requestedMaxTokens(), routed.maxTokens(), routed.temperature(), routed.topP(), routed.stop(),
        routed.stream(), routed.options(), routed.extra(), routed.estimate(), Optional.of(new NativeBody(
            WireProtocol.OPENAI_RESPONSES, (ObjectNode) ChatFixtures.json("{\"input\": \"Hi\"}"), false)));
    assertThat(FallbackChain.servable(chain, exchange(targets.get("openai"), rendered)).stream()
        .map(TargetConfig::name)).containsExactly("openai", "claude", "groq");
  }

  @Test
  void letsAProtocolRoutesCallFallBackAcrossProtocolsUnlessItHoldsWhatNoTranslationCarries() {
    var targets = targets("""
        targets:
          claude: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5},
                   fallback_targets: [openai, claude2]}
          openai: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: gpt-4o-mini}}
          claude2: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5}}
        """);
    var chain = FallbackChain.of(targets, "claude");
    ChatRequest plain = ChatFixtures.request("claude-haiku-4-5", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 1,
        false, "{}", "{}");
    ObjectNode body = (ObjectNode) ChatFixtures.json("{\"messages\": []}");
    ChatRequest translatable = withNative(plain, new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, false));
    ChatRequest anthropicOnly = withNative(plain, new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, false,
        Map.of(), Optional.of("'tools[0]' (a server tool of type web_search_20250305)")));
    TargetConfig claude = targets.get("claude");

    assertThat(FallbackChain.servable(chain, exchange(claude, translatable)).stream().map(TargetConfig::name))
        .containsExactly("claude", "openai", "claude2");
    assertThat(FallbackChain.servable(chain, exchange(claude, anthropicOnly)).stream().map(TargetConfig::name))
        .containsExactly("claude", "claude2");
    var count = new Exchange(null, claude, null, 0, Optional.of(new TokenCount(translatable, true)));
    assertThat(FallbackChain.servable(chain, count).stream().map(TargetConfig::name)).containsExactly("claude");
  }

  @Test
  void aResponsesCallWithAHostedToolFallsBackOnlyToTargetsThatServeTheResponsesApi() {
    var targets = targets("""
        targets:
          openai: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: gpt-5, responses_api: true},
                   fallback_targets: [vllm, claude, openai2]}
          vllm: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: gpt-oss-120b}}
          claude: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5}}
          openai2: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: gpt-5, responses_api: true}}
        """);
    ChatRequest plain = ChatFixtures.request("gpt-5", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 1,
        false, "{}", "{}");
    ObjectNode body = (ObjectNode) ChatFixtures.json("{\"input\": \"Hi\", \"tools\": [{\"type\": \"web_search\"}]}");
    ChatRequest hosted = withNative(plain, new NativeBody(WireProtocol.OPENAI_RESPONSES, body, false, Map.of(),
        Optional.of("'tools[0]' (a hosted tool of type web_search)")));

    assertThat(FallbackChain.servable(FallbackChain.of(targets, "openai"), exchange(targets.get("openai"), hosted))
        .stream().map(TargetConfig::name)).containsExactly("openai", "openai2");
  }

  @Test
  void anAnthropicRequestWithMoreStopSequencesThanOpenAiTakesSkipsOpenAisOwnApiButNotOtherServers() {
    var targets = targets("""
        targets:
          claude: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5},
                   fallback_targets: [openai, azure, vllm, claude2]}
          openai: {base_url: "https://api.openai.com/v1", llm: {provider: openai, default_model: gpt-4o-mini}}
          azure: {base_url: "https://res.openai.azure.com/openai/v1", llm: {provider: openai, default_model: gpt-4o}}
          vllm: {base_url: "http://127.0.0.1:1/v1", llm: {provider: openai, default_model: llama}}
          claude2: {base_url: "http://127.0.0.1:1/v1", llm: {provider: anthropic, default_model: claude-haiku-4-5}}
        """);
    var chain = FallbackChain.of(targets, "claude");
    ChatRequest plain = ChatFixtures.request("claude-haiku-4-5", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 1,
        false, "{}", "{}");
    ObjectNode body = (ObjectNode) ChatFixtures.json("{\"messages\": []}");
    ChatRequest five = withNative(new ChatRequest(plain.requestedModel(), plain.model(), plain.messages(),
        plain.requestedMaxTokens(), plain.maxTokens(), plain.temperature(), plain.topP(),
        java.util.List.of("a", "b", "c", "d", "e"), plain.stream(), plain.options(), plain.extra(), plain.estimate(),
        Optional.empty()), new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, false));

    assertThat(FallbackChain.servable(chain, exchange(targets.get("claude"), five)).stream().map(TargetConfig::name))
        .containsExactly("claude", "vllm", "claude2");
    ChatRequest four = withNative(plain, new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, false));
    assertThat(FallbackChain.servable(chain, exchange(targets.get("claude"), four)).stream().map(TargetConfig::name))
        .containsExactly("claude", "openai", "azure", "vllm", "claude2");
  }

  private static ChatRequest withNative(ChatRequest r, NativeBody body) {
    return new ChatRequest(r.requestedModel(), r.model(), r.messages(), r.requestedMaxTokens(), r.maxTokens(),
        r.temperature(), r.topP(), r.stop(), r.stream(), r.options(), r.extra(), r.estimate(), Optional.of(body));
  }

  private static Exchange exchange(TargetConfig target, ChatRequest chat) {
    return new Exchange(null, target, null, 0, Optional.of(chat));
  }
}
