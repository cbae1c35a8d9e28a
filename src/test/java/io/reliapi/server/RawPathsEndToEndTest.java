package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp.Res;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On an LLM target the raw routes serve only the paths under a prefix in {@code llm.raw_paths} (besides the
 * provider's chat endpoint, which is always priced); every other path is 403 with no upstream call (issue 11.1).
 */
class RawPathsEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        closed:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, hard_cost_cap_usd: 0.005}
        open:
          base_url: "%1$s/v1"
          llm: {provider: openai, default_model: gpt-4o, hard_cost_cap_usd: 0.005,
                raw_paths: [/models, /files/, /chat]}
        plain: {base_url: "%1$s/v1"}
      """.formatted(up.baseUrl())));

  @ParameterizedTest
  @ValueSource(strings = {"/files", "/batches", "/fine_tuning/jobs", "/files/file-abc/content", "/embeddings"})
  void anUnlistedPathIsForbiddenOnBothRawRoutesWithoutCallingTheProvider(String path) {
    Res direct = e2e.gw().http.post("/t/closed" + path, "{\"purpose\": \"batch\"}", "Content-Type", "application/json");
    assertThat(direct.status()).isEqualTo(403);
    assertThat(direct.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(direct.json().get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(e2e.gw().http.get("/t/closed" + path).status()).isEqualTo(403);

    Res envelope = e2e.gw().http.post("/proxy/http", "{\"target\": \"closed\", \"method\": \"POST\", \"path\": \""
        + path + "\", \"body\": {\"purpose\": \"batch\"}}");
    assertThat(envelope.status()).isEqualTo(403);
    assertThat(envelope.json().get("error").get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void aForbiddenPathLeavesNothingBehindForItsIdempotencyKey() {
    e2e.up().otherwise("* /v1/models", Behavior.json(200, "{\"data\": []}"));
    assertThat(e2e.gw().http.post("/t/open/batches", "{}", "Idempotency-Key", "k-1").status()).isEqualTo(403);
    assertThat(e2e.gw().http.post("/t/open/models", "{}", "Idempotency-Key", "k-1").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void aListedPrefixIsForwardedOnWholeSegments() {
    e2e.up().otherwise("GET /v1/models", Behavior.json(200, "{\"object\": \"list\", \"data\": []}"));
    assertThat(e2e.gw().http.get("/t/open/models").status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/open/files/file-abc").status()).isEqualTo(200);
    assertThat(e2e.gw().http.get("/t/open/files").status()).isEqualTo(200);
    assertThat(e2e.gw().http.post("/proxy/http", "{\"target\": \"open\", \"method\": \"GET\", \"path\": \"/models?limit=2\"}")
        .status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(4);
    assertThat(e2e.up().requests().get(3).uri()).isEqualTo("/v1/models?limit=2");

    assertThat(e2e.gw().http.get("/t/open/modelsx").status()).isEqualTo(403);
    assertThat(e2e.gw().http.get("/t/open/filesx/1").status()).isEqualTo(403);
    assertThat(e2e.up().total()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/chat/completions", "/chat/completions/", "/chat//completions", "/chat/Completions",
      "/chat/%63ompletions", "/chat/completions;v=1"})
  void theChatEndpointIsPricedHoweverItsPathIsWrittenEvenUnderAListedPrefix(String path) {
    Res r = e2e.gw().http.post("/t/open" + path,
        "{\"model\": \"gpt-4o\", \"max_tokens\": 30000, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void otherMethodsOnTheChatPathAreOrdinaryRawRequests() {
    e2e.up().otherwise("GET /v1/chat/completions", Behavior.json(200, "{\"object\": \"list\", \"data\": []}"));
    assertThat(e2e.gw().http.get("/t/closed/chat/completions").status()).isEqualTo(403);
    assertThat(e2e.gw().http.get("/t/open/chat/completions").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void aPlainHttpTargetKeepsEveryPathOpen() {
    assertThat(e2e.gw().http.post("/t/plain/files", "{}").status()).isEqualTo(200);
    assertThat(e2e.up().total()).isEqualTo(1);
  }
}
