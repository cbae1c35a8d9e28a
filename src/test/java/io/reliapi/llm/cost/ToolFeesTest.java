package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import io.reliapi.llm.cost.ToolFees.Bounded;
import io.reliapi.llm.cost.ToolFees.Unbounded;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which provider-side tools a request may be billed for, and the bound on their fees. */
class ToolFeesTest {

  static ObjectNode json(String text) {
    return (ObjectNode) Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  static ToolFees.Fees anthropic(String body) {
    return ToolFees.of(json(body), WireProtocol.ANTHROPIC_MESSAGES, "", true);
  }

  static ChatRequest chat(String model, ObjectNode options, ObjectNode extra, Optional<NativeBody> nativeBody) {
    return new ChatRequest(Optional.empty(), model, List.of(ChatMessage.text("user", "hi")), Optional.empty(), 16,
        Optional.empty(), Optional.empty(), List.of(), false, options, extra, Optional.empty(), nativeBody);
  }

  static BigDecimal usd(ToolFees.Fees fees) {
    assertThat(fees).isInstanceOf(Bounded.class);
    return ((Bounded) fees).usd();
  }

  @Test
  void aRequestWithoutToolsAddsNoFee() {
    assertThat(usd(anthropic("{\"messages\": []}"))).isZero();
  }

  @Test
  void functionToolsAndToolsBilledInTokensAddNoFee() {
    assertThat(usd(anthropic("{\"tools\": [{\"name\": \"f\", \"input_schema\": {}}, {\"type\": \"custom\"}, "
        + "{\"type\": \"web_fetch_20250910\", \"name\": \"web_fetch\", \"max_uses\": 2, \"max_content_tokens\": 5000}, "
        + "{\"type\": \"bash_20250124\"}, "
        + "{\"type\": \"text_editor_20250728\"}]}"))).isZero();
    assertThat(usd(ToolFees.of(json("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}"),
        WireProtocol.OPENAI_CHAT, "", true))).isZero();
  }

  @Test
  void aWebSearchWithMaxUsesIsBoundedAtTenDollarsPerThousandSearches() {
    assertThat(usd(anthropic("{\"tools\": [{\"type\": \"web_search_20250305\", \"name\": \"web_search\", "
        + "\"max_uses\": 5}]}"))).isEqualByComparingTo("0.05");
  }

  @Test
  void theBoundsOfSeveralWebSearchToolsAddUp() {
    assertThat(usd(anthropic("{\"tools\": [{\"type\": \"web_search_20250305\", \"max_uses\": 2}, "
        + "{\"type\": \"web_search_20260209\", \"max_uses\": 3}]}"))).isEqualByComparingTo("0.05");
  }

  @Test
  void aWebSearchWithoutAPositiveIntegerMaxUsesIsUnbounded() {
    for (String maxUses : List.of("", ", \"max_uses\": 0", ", \"max_uses\": \"5\"", ", \"max_uses\": 2.5",
        ", \"max_uses\": 18446744073709551617")) {
      var fees = anthropic("{\"tools\": [{\"type\": \"custom\"}, {\"type\": \"web_search_20250305\"" + maxUses + "}]}");
      assertThat(fees).as(maxUses).isInstanceOf(Unbounded.class);
      assertThat(((Unbounded) fees).field()).isEqualTo("tools[1]");
      assertThat(((Unbounded) fees).tool()).isEqualTo("web_search_20250305");
    }
  }

  @Test
  void aWebFetchWithoutBothMaxUsesAndMaxContentTokensIsUnbounded() {
    for (String bounds : List.of("", ", \"max_uses\": 2", ", \"max_content_tokens\": 5000",
        ", \"max_uses\": 0, \"max_content_tokens\": 5000", ", \"max_uses\": 2, \"max_content_tokens\": \"5000\"",
        ", \"max_uses\": 9223372036854775807, \"max_content_tokens\": 2")) {
      var fees = anthropic("{\"tools\": [{\"type\": \"web_fetch_20250910\", \"name\": \"web_fetch\"" + bounds + "}]}");
      assertThat(fees).as(bounds).isInstanceOf(Unbounded.class);
      assertThat(((Unbounded) fees).field()).isEqualTo("tools[0]");
      assertThat(((Unbounded) fees).why()).contains("max_uses").contains("max_content_tokens");
    }
  }

  @Test
  void codeExecutionTheMcpConnectorAndUnknownServerToolsAreUnbounded() {
    assertThat(anthropic("{\"tools\": [{\"type\": \"code_execution_20250825\"}]}"))
        .isEqualTo(new Unbounded("tools[0]", "code_execution_20250825",
            "billed by container time, which nothing bounds before the call"));
    assertThat(((Unbounded) anthropic("{\"mcp_servers\": [{\"url\": \"https://x\"}]}")).field())
        .isEqualTo("mcp_servers");
    assertThat(((Unbounded) anthropic("{\"tools\": [{\"type\": \"mcp_toolset\"}]}")).tool()).isEqualTo("mcp_toolset");
  }

  @Test
  void anEmptyMcpServersListIsNoConnector() {
    assertThat(usd(anthropic("{\"mcp_servers\": []}"))).isZero();
  }

  @Test
  void openAiHostedToolsWebSearchOptionsAndGeminiGroundingAreUnbounded() {
    assertThat(((Unbounded) ToolFees.of(json("{\"web_search_options\": {}}"), WireProtocol.OPENAI_CHAT, "", true))
        .field())
        .isEqualTo("web_search_options");
    assertThat(((Unbounded) ToolFees.of(json("{\"tools\": [{\"type\": \"function\"}, {\"type\": \"file_search\"}]}"),
        WireProtocol.OPENAI_RESPONSES, "", true)).field()).isEqualTo("tools[1]");
    // Anthropic's type names mean nothing to OpenAI: a bound in them is no bound there.
    assertThat(ToolFees.of(json("{\"tools\": [{\"type\": \"web_search_preview\", \"max_uses\": 1}]}"),
        WireProtocol.OPENAI_RESPONSES, "", true)).isInstanceOf(Unbounded.class);
    assertThat(((Unbounded) ToolFees.of(json("{\"tools\": [{\"functionDeclarations\": []}, {\"google_search\": {}}]}"),
        WireProtocol.GEMINI_GENERATE_CONTENT, "", true)).tool()).isEqualTo("google_search");
  }

  @Test
  void readsANativeBodyInItsOwnProtocolAndExtraInTheTargetsProtocol() {
    ObjectNode body = json("{\"tools\": [{\"type\": \"web_search_20250305\", \"max_uses\": 1}]}");
    var nativeBody = Optional.of(new NativeBody(WireProtocol.ANTHROPIC_MESSAGES, body, true));
    // The options read from a native body repeat its fields; only the body is read, in its own terms.
    assertThat(usd(ToolFees.of(chat("claude-haiku-4-5", body.deepCopy(), ChatJson.object(), nativeBody),
        WireProtocol.ANTHROPIC_MESSAGES))).isEqualByComparingTo("0.01");
    var extra = json("{\"tools\": [{\"type\": \"web_search_20250305\", \"max_uses\": 2}]}");
    assertThat(usd(ToolFees.of(chat("claude-haiku-4-5", ChatJson.object(), extra, Optional.empty()),
        WireProtocol.ANTHROPIC_MESSAGES))).isEqualByComparingTo("0.02");
    var unbounded = ToolFees.of(chat("m", ChatJson.object(), json("{\"tools\": [{\"type\": \"code_execution_1\"}]}"),
        Optional.empty()), WireProtocol.ANTHROPIC_MESSAGES);
    assertThat(((Unbounded) unbounded).field()).isEqualTo("extra.tools[0]");
  }

  @Test
  void openAiSearchModelsAreUnboundedWhateverTheirFields() {
    for (String model : List.of("gpt-4o-search-preview", "gpt-4o-mini-search-preview-2025-03-11", "gpt-5-search-api")) {
      var fees = ToolFees.of(chat(model, ChatJson.object(), ChatJson.object(), Optional.empty()),
          WireProtocol.OPENAI_CHAT);
      assertThat(fees).as(model).isInstanceOf(Unbounded.class);
      assertThat(((Unbounded) fees).field()).isEqualTo("model");
    }
    assertThat(usd(ToolFees.of(chat("gpt-4o-mini", ChatJson.object(), ChatJson.object(), Optional.empty()),
        WireProtocol.OPENAI_CHAT))).isZero();
  }

  @Test
  void aToolTypeFromTheClientIsNamedPrintablyAndShort() {
    var fees = (Unbounded) anthropic("{\"tools\": [{\"type\": \"x\\u0001" + "y".repeat(100) + "\"}]}");
    assertThat(fees.tool()).hasSize(64).startsWith("x?y");
  }
}
