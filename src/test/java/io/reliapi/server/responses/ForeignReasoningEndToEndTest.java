package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Codex's turn sends back the reasoning items an earlier turn's OpenAI organization encrypted; a deployment or
 * fallback of another organization refuses them (400 {@code invalid_encrypted_content}). The gateway sends the
 * turn once more without them, so the client's turn succeeds and the model reasons again. The mock below is such
 * an organization: it refuses every reasoning item it did not issue (its own start with "gAAAAorgB").
 */
class ForeignReasoningEndToEndTest {
  static final String REFUSAL = """
      {"error": {"message": "The encrypted content gAAA...pRk1 could not be verified. Reason: Encrypted content \
      organization_id did not match the target organization.", "type": "invalid_request_error", "param": null, \
      "code": "invalid_encrypted_content"}}""";
  static final String NO_ID = """
      {"error": {"message": "Missing required parameter: 'input[4].id'.", "type": "invalid_request_error", \
      "param": "input[4].id", "code": "missing_required_parameter"}}""";
  static final String UNPAIRED = """
      {"error": {"message": "Item 'fc_68e9630e5fd0' of type 'function_call' was provided without its required \
      'reasoning' item: 'rs_68e9630ad524'.", "type": "invalid_request_error", "param": "input", "code": null}}""";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        codex:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
        retrying:
          base_url: "%1$s/v1"
          retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0.01, max_s: 0.01}}
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
        limited:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true, limits: {rpm: 2}}
        keyed:
          base_url: "%1$s/v1"
          %2$s
          idempotency: {forward_header: Idempotency-Key}
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  /** An organization that refuses reasoning items it did not issue, and answers everything else. */
  static Behavior organizationB() {
    return organizationB(ResponsesBehaviors.answer("gpt-5", "Done.", 900, 5));
  }

  static Behavior organizationB(Behavior answer) {
    return organizationB(Behavior.respond(400, Map.of("Content-Type", "application/json"), REFUSAL), answer);
  }

  /**
   * The organization refusing foreign reasoning items with {@code refusal}, and, as OpenAI does, an output item
   * whose id pairs it with a reasoning item that is not sent.
   */
  static Behavior organizationB(Behavior refusal, Behavior answer) {
    return call -> {
      JsonNode body = Json.parseOrNull(call.recorded().body().getBytes());
      boolean foreign = false;
      boolean reasoning = false;
      boolean paired = false;
      for (JsonNode item : body.path("input")) {
        boolean isReasoning = item.path("type").asText().equals("reasoning");
        reasoning |= isReasoning;
        foreign |= isReasoning && !item.path("encrypted_content").asText().startsWith("gAAAAorgB");
        paired |= item.path("id").asText().startsWith("fc_");
        if (item.path("type").asText().equals("web_search_call") && !item.has("id")) {
          Behavior.respond(400, Map.of("Content-Type", "application/json"), NO_ID).respond(call);
          return;
        }
      }
      if (paired && !reasoning) {
        Behavior.respond(400, Map.of("Content-Type", "application/json"), UNPAIRED).respond(call);
        return;
      }
      (foreign ? refusal : answer).respond(call);
    };
  }

  static TestHttp.Res turn(String encrypted) {
    return turn(encrypted, false);
  }

  static TestHttp.Res turn(String encrypted, boolean stream) {
    return turn("codex", encrypted, stream);
  }

  static TestHttp.Res turn(String target, String encrypted, boolean stream, String... headers) {
    return e2e.gw().http.post("/v1/responses", body(target, encrypted, stream), headers);
  }

  static String body(String target, String encrypted, boolean stream) {
    return CodexCliEndToEndTest.turn(target + "/gpt-5", stream)
        .replace("\"encrypted_content\": \"gAAAAABpRk1\"", "\"encrypted_content\": \"" + encrypted + "\"");
  }

  static List<JsonNode> inputsSent() {
    return e2e.up().requests().stream().map(r -> Json.parseOrNull(r.body().getBytes()).get("input")).toList();
  }

  static boolean hasReasoning(JsonNode input) {
    for (JsonNode item : input) {
      if (item.path("type").asText().equals("reasoning")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aTurnWhoseReasoningAnotherOrganizationIssuedIsSentOnceMoreWithoutItAndSucceeds() {
    e2e.up().otherwise("POST /v1/responses", organizationB());
    double before = MetricSamples.scrape(e2e.gw()).value("reliapi_retries_total", "target", "codex", "class",
        "reasoning_items");

    TestHttp.Res res = turn("gAAAAABpRk1");

    assertThat(res.status()).isEqualTo(200);
    assertThat(res.json().get("output").get(0).get("content").get(0).get("text").asText()).isEqualTo("Done.");
    assertThat(res.header("X-Retries")).isEqualTo("1");
    List<JsonNode> inputs = inputsSent();
    assertThat(inputs).hasSize(2);
    assertThat(hasReasoning(inputs.get(0))).isTrue();
    assertThat(hasReasoning(inputs.get(1))).as("the second call has no reasoning items").isFalse();
    assertThat(inputs.get(1)).as("and every other item as written").hasSize(inputs.get(0).size() - 1);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_retries_total", "target", "codex", "class",
        "reasoning_items")).isEqualTo(before + 1);
  }

  @Test
  void aStreamedTurnIsSentOnceMoreTheSameWayBeforeAnyEventReachesTheClient() {
    e2e.up().otherwise("POST /v1/responses", organizationB(
        LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-5", List.of("Do", "ne."), 900, 5), 1)));

    TestHttp.Res res = turn("gAAAAABpRk1", true);

    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).contains("response.completed").contains("\"ne.\"");
    assertThat(res.header("X-Retries")).isEqualTo("1");
    assertThat(inputsSent()).hasSize(2);
    assertThat(hasReasoning(inputsSent().get(1))).isFalse();
  }

  /**
   * OpenAI also refuses the items inside a 200 stream, before any output (Codex users see it "immediately after
   * sending the prompt"): as {@code response.failed}, or as an {@code error} event. Held before the commit point,
   * it is the same 400 refusal and the turn is sent once more the same way.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"response.failed", "error"})
  void aRefusalInsideAStreamIsSentOnceMoreTheSameWay(String event) {
    List<String> refusal = event.equals("error") ? List.of(
        "event: error\ndata: {\"type\":\"error\",\"sequence_number\":0,\"code\":\"invalid_encrypted_content\","
            + "\"message\":\"The encrypted content could not be verified.\",\"param\":null}\n\n")
        : ResponsesBehaviors.failedEvents("gpt-5", "invalid_encrypted_content");
    e2e.up().otherwise("POST /v1/responses", organizationB(LlmBehaviors.sse(refusal, 1),
        LlmBehaviors.sse(ResponsesBehaviors.textEvents("gpt-5", List.of("Do", "ne."), 900, 5), 1)));

    TestHttp.Res res = turn("gAAAAABpRk1", true);

    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).contains("response.completed").contains("\"ne.\"").doesNotContain("response.failed");
    assertThat(res.header("X-Retries")).isEqualTo("1");
    assertThat(inputsSent()).hasSize(2);
    assertThat(hasReasoning(inputsSent().get(0))).isTrue();
    assertThat(hasReasoning(inputsSent().get(1))).isFalse();
  }

  @Test
  void reasoningTheOrganizationIssuedIsSentOnceAsWritten() {
    e2e.up().otherwise("POST /v1/responses", organizationB());

    TestHttp.Res res = turn("gAAAAorgBxyz");

    assertThat(res.status()).isEqualTo(200);
    assertThat(res.header("X-Retries")).isEqualTo("0");
    assertThat(inputsSent()).hasSize(1);
    assertThat(hasReasoning(inputsSent().get(0))).isTrue();
  }

  @Test
  void anotherBadRequestIsNotSentAgain() {
    e2e.up().otherwise("POST /v1/responses", Behavior.respond(400, Map.of("Content-Type", "application/json"),
        REFUSAL.replace("invalid_encrypted_content", "invalid_value")));

    TestHttp.Res res = turn("gAAAAABpRk1");

    assertThat(res.status()).isEqualTo(400);
    assertThat(e2e.up().requests()).hasSize(1);
  }

  @Test
  void aRefusalThatPersistsWithoutTheItemsReachesTheClientAfterOneResend() {
    e2e.up().otherwise("POST /v1/responses", Behavior.respond(400, Map.of("Content-Type", "application/json"),
        REFUSAL));

    TestHttp.Res res = turn("gAAAAABpRk1");

    assertThat(res.status()).isEqualTo(400);
    assertThat(e2e.up().requests()).as("the call without reasoning items is not resent again").hasSize(2);
  }

  /**
   * The call without reasoning items is the request's from then on: a retry after it sends it as it is, not the
   * refused body again (which would be refused and resent once more on every pass).
   */
  @Test
  void aRetryAfterTheResendSendsTheBodyWithoutReasoningUpFront() {
    AtomicInteger answers = new AtomicInteger();
    e2e.up().otherwise("POST /v1/responses", organizationB(call -> (answers.getAndIncrement() == 0
        ? Behavior.respond(503, Map.of(), "busy") : ResponsesBehaviors.answer("gpt-5", "Done.", 900, 5))
        .respond(call)));

    TestHttp.Res res = turn("retrying", "gAAAAABpRk1", false);

    assertThat(res.status()).isEqualTo(200);
    List<JsonNode> inputs = inputsSent();
    assertThat(inputs).as("refused, resent without reasoning (503), retried without reasoning").hasSize(3);
    assertThat(inputs.stream().map(ForeignReasoningEndToEndTest::hasReasoning)).containsExactly(true, false, false);
    assertThat(res.header("X-Retries")).isEqualTo("2");
  }

  /** The resend is a call of its own to the LLM limits: it takes a place of the target's rpm like any attempt. */
  @Test
  void theResendCountsOnTheLlmLimits() {
    e2e.up().otherwise("POST /v1/responses", organizationB());

    assertThat(turn("limited", "gAAAAABpRk1", false).status()).isEqualTo(200);
    TestHttp.Res next = turn("limited", "gAAAAorgBxyz", false);

    assertThat(e2e.up().requests()).hasSize(2);
    assertThat(next.status()).as("rpm 2: the refused call and the resend took both places").isEqualTo(429);
  }

  @Test
  void theItemsLeftLoseTheIdsThatPairedThemWithTheDroppedReasoning() {
    e2e.up().otherwise("POST /v1/responses", organizationB());
    String body = body("codex", "gAAAAABpRk1", false)
        .replace("\"call_id\": \"call_Sh2\"}", "\"call_id\": \"call_Sh2\", \"id\": \"fc_68e9630e5fd0\"}");
    assertThat(body).contains("fc_68e9630e5fd0");

    TestHttp.Res res = e2e.gw().http.post("/v1/responses", body);

    assertThat(res.status()).isEqualTo(200);
    JsonNode call = inputsSent().get(1).get(inputsSent().get(1).size() - 2);
    assertThat(call.path("type").asText()).isEqualTo("function_call");
    assertThat(call.has("id")).isFalse();
    assertThat(call.path("call_id").asText()).isEqualTo("call_Sh2");
  }

  /** A provider that deduplicates by key would replay the refusal, or refuse the key with another body. */
  @Test
  void theResendForwardsAKeyOfItsOwn() {
    e2e.up().otherwise("POST /v1/responses", organizationB());

    TestHttp.Res res = turn("keyed", "gAAAAABpRk1", false, "Idempotency-Key", "turn-7");

    assertThat(res.status()).isEqualTo(200);
    assertThat(e2e.up().requests().stream().map(r -> r.header("Idempotency-Key")))
        .containsExactly("turn-7", "turn-7.without-reasoning");
  }

  /** A hosted tool's call item needs its id on input: only the ids that may pair an item with reasoning go. */
  @Test
  void hostedToolCallItemsKeepTheirIds() {
    e2e.up().otherwise("POST /v1/responses", organizationB());
    String search = "{\"type\": \"web_search_call\", \"id\": \"ws_68e9630b11\", \"status\": \"completed\", "
        + "\"action\": {\"type\": \"search\", \"query\": \"python hello\"}},\n";
    String body = body("codex", "gAAAAABpRk1", false).replace("{\"type\": \"custom_tool_call\",",
        search + "{\"type\": \"custom_tool_call\",");
    assertThat(body).contains("ws_68e9630b11");

    TestHttp.Res res = e2e.gw().http.post("/v1/responses", body);

    assertThat(res.status()).isEqualTo(200);
    JsonNode sent = inputsSent().get(1);
    assertThat(hasReasoning(sent)).isFalse();
    assertThat(sent.findValuesAsText("id")).containsExactly("ws_68e9630b11");
  }
}
