package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw chat answer passes the provider's headers on, but not its cookies: OpenAI sets a Cloudflare
 * {@code __cf_bm} cookie on the gateway's own connection, which means nothing to a client that never talks to
 * OpenAI, and an answer with {@code Set-Cookie} is never cached, so with it the raw route's cache never held.
 */
class RawChatCookiesEndToEndTest {
  private static final String CHAT = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello!", 8, 2));
    e2e.start(GatewayHarness.yaml("""
        targets:
          openai:
            base_url: "%s/v1"
            cache: {ttl_s: 60}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(e2e.up().baseUrl())));
  }

  @Test
  void aRawChatAnswerKeepsTheProvidersHeadersButNotItsCookieAndIsCached() {
    Res first = e2e.gw().http.post("/t/openai/chat/completions", CHAT, "Content-Type", "application/json");
    Res again = e2e.gw().http.post("/t/openai/chat/completions", CHAT, "Content-Type", "application/json");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Set-Cookie")).isNull();
    assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("9999");
    assertThat(first.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(again.header("Set-Cookie")).isNull();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }
}
