package io.reliapi.hostile;

import static io.reliapi.hostile.JsonArbitraries.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.testing.SseEvents;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies on {@code /v1/responses}: any input items and content parts, tools of any type, wrong types,
 * stateful fields, broken bytes. Every one gets a {@code response} object (or the Responses API's events) or a
 * SPEC error in OpenAI's shape, in time, with nothing leaked.
 */
class ResponsesPropertiesTest {
  static HostileGateway gw;

  @BeforeContainer
  static void start() {
    gw = HostileGateway.start();
  }

  @AfterContainer
  static void stop() {
    try {
      gw.assertLogsSafe();
    } finally {
      gw.close();
    }
  }

  @Property(tries = 120)
  void answersAnyBodyWithAResponseOrAnOpenAiError(@ForAll("bodies") byte[] body) {
    RawClient.Answer answer = gw.post("/v1/responses", body, Map.of());
    gw.assertSafe(answer);
    responses(answer);
    gw.assertLogsSafe();
  }

  /** A {@code response} object, the Responses API's events ending in one terminal event, or OpenAI's error. */
  static void responses(RawClient.Answer a) {
    assertThat(a.status()).as("an HTTP answer: %s", a.raw()).isPositive();
    if (Shapes.fromHttpLayer(a)) {
      return;
    }
    if (Shapes.isEventStream(a)) {
      List<SseEvents.Event> events = SseEvents.parse(a.text());
      assertThat(SseEvents.names(events)).as("events of %s", a.text()).isNotEmpty().startsWith("response.created");
      String last = events.getLast().name();
      assertThat(last).isIn("response.completed", "response.incomplete", "response.failed");
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).json().path("sequence_number").asInt(-1)).isEqualTo(i);
      }
      if (last.equals("response.failed")) {
        Shapes.streamCode(events.getLast().json().path("response").path("error").path("code").asText(), a.text());
      }
      return;
    }
    JsonNode json = Shapes.json(a);
    if (a.status() < 300) {
      assertThat(json.path("object").asText()).isEqualTo("response");
      assertThat(json.path("output").isArray()).isTrue();
      return;
    }
    JsonNode error = json.path("error");
    ErrorCode code = Shapes.gatewayCode(error.path("code").asText(), a);
    assertThat(error.path("type").asText()).isEqualTo(code.type());
    assertThat(error.path("message").asText()).isNotBlank();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<String> request = JsonArbitraries.envelope(fields(
        "model", EnvelopePropertiesTest.models(),
        "input", Arbitraries.frequencyOf(Tuple.of(2, JsonArbitraries.strings()), Tuple.of(6, items()),
            Tuple.of(1, JsonArbitraries.values(3))),
        "instructions", Arbitraries.oneOf(JsonArbitraries.strings(), JsonArbitraries.values(1)),
        "max_output_tokens", EnvelopePropertiesTest.valid("1", "16", "64"),
        "temperature", EnvelopePropertiesTest.valid("0", "0.5", "2"),
        "stream", EnvelopePropertiesTest.valid("true", "false"),
        "store", mostly("false", "true"),
        "tools", mostly("[{\"type\": \"function\", \"name\": \"f\", \"parameters\": {\"type\": \"object\"}}]",
            "[{\"type\": \"web_search\"}]", "[{\"type\": \"function\"}]"),
        "tool_choice", mostly("\"auto\"", "\"required\"", "{\"type\": \"function\", \"name\": \"f\"}",
            "{\"type\": \"function\"}"),
        "text", mostly("{\"format\": {\"type\": \"json_object\"}}", "{\"format\": {\"type\": \"json_schema\", "
            + "\"name\": \"s\", \"schema\": {}}}", "{\"format\": {\"type\": \"json_schema\"}}"),
        "reasoning", mostly("{\"effort\": \"low\"}", "{\"effort\": 3}"),
        "previous_response_id", mostly("null", "\"resp_1\"")), "model", "input");
    return JsonArbitraries.bytesOf(Arbitraries.frequencyOf(Tuple.of(8, request), Tuple.of(1, JsonArbitraries.values(3))));
  }

  /** Mostly {@code good}; now and then one of {@code bad} or any value. */
  static Arbitrary<String> mostly(String good, String... bad) {
    return Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(good)), Tuple.of(1, Arbitraries.of(bad)),
        Tuple.of(1, JsonArbitraries.values(2)));
  }

  /** Lists of input items: valid ones of every kind, and items with any type, role, content or member. */
  static Arbitrary<String> items() {
    Arbitrary<String> part = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of(
        "{\"type\": \"input_text\", \"text\": \"hi\"}", "{\"type\": \"output_text\", \"text\": \"ok\"}",
        "{\"type\": \"input_image\", \"image_url\": \"data:image/png;base64,AAAA\", \"detail\": \"low\"}",
        "{\"type\": \"input_file\", \"file_data\": \"x\"}", "{\"type\": \"refusal\", \"refusal\": \"no\"}")),
        Tuple.of(1, Arbitraries.of("{\"type\": \"input_image\", \"file_id\": \"file-1\"}", "{\"type\": \"input_audio\"}",
            "{\"text\": 1}")), Tuple.of(1, JsonArbitraries.values(2)));
    Arbitrary<String> content = Arbitraries.frequencyOf(Tuple.of(3, JsonArbitraries.strings()),
        Tuple.of(3, part.list().ofMaxSize(3).map(parts -> "[" + String.join(",", parts) + "]")),
        Tuple.of(1, JsonArbitraries.values(2)));
    Arbitrary<String> message = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("user", "assistant", "developer")),
        Tuple.of(1, Arbitraries.of("system", "tool", "")))
        .flatMap(role -> content.map(c -> "{\"role\": \"" + role + "\", \"content\": " + c + "}"));
    Arbitrary<String> item = Arbitraries.frequencyOf(Tuple.of(12, message), Tuple.of(4, Arbitraries.of(
        "{\"type\": \"function_call\", \"call_id\": \"c1\", \"name\": \"f\", \"arguments\": \"{}\"}",
        "{\"type\": \"function_call\", \"call_id\": \"c1\", \"name\": \"f\", \"arguments\": {}}",
        "{\"type\": \"function_call_output\", \"call_id\": \"c1\", \"output\": \"18C\"}",
        "{\"type\": \"function_call_output\", \"call_id\": \"c1\", \"output\": [{\"type\": \"input_text\", \"text\": \"x\"}]}",
        "{\"type\": \"reasoning\", \"id\": \"rs_1\", \"summary\": []}")),
        Tuple.of(1, Arbitraries.of("{\"type\": \"function_call_output\", \"call_id\": 7, \"output\": null}",
            "{\"type\": \"item_reference\", \"id\": \"msg_1\"}", "{\"type\": \"web_search_call\", \"id\": \"ws\"}")),
        Tuple.of(1, JsonArbitraries.values(2)));
    return item.list().ofMinSize(0).ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
  }
}
