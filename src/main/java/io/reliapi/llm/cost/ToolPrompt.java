package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.Usage;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import java.util.Map;

/**
 * Input tokens Anthropic bills a call with tools that its request does not hold, on an Anthropic target or a Claude
 * model behind a router (docs/guides/budget-control.md,
 * "The estimate"): a tool-use system prompt whenever the call carries a tool, and for each Anthropic-defined client
 * tool the definition the provider puts in its place, where the request writes only the tool's type and name. A pure
 * function of the request, for the money bound only: Anthropic reports these tokens in its usage, which settles the
 * call.
 */
public final class ToolPrompt {
  /**
   * The largest tool-use system prompt Anthropic documents (Claude 3 Opus with {@code tool_choice} auto; 346 on the
   * Claude 4 models), so the bound holds for every model.
   */
  static final long SYSTEM_PROMPT = 530;
  /**
   * The input tokens each Anthropic-defined tool adds, by type prefix: bash 245, the text editor 700, computer use
   * 735 plus its own system prompt (at most 499).
   */
  static final Map<String, Long> DEFINED = Map.of("bash_", 245L, "text_editor_", 700L, "computer_", 735L + 499L);

  private ToolPrompt() {}

  /**
   * Returns {@code tokens} plus what the tools of {@code request}, sent to a {@code target} provider, add: on an
   * Anthropic target, and for a Claude model behind another protocol (a router's, {@link ClaudeModels}).
   */
  public static long plus(long tokens, ChatRequest request, WireProtocol target) {
    if (target != WireProtocol.ANTHROPIC_MESSAGES && !ClaudeModels.named(request.model())) {
      return tokens;
    }
    JsonNode body = request.nativeBody().map(NativeBody::body).orElse(request.options());
    List<JsonNode> lists = List.of(body.path("tools"), body.path("functions"), request.extra().path("tools"));
    long added = 0;
    boolean any = false;
    for (JsonNode tools : lists) {
      for (JsonNode tool : tools.isArray() ? tools : List.<JsonNode>of()) {
        any = true;
        added += defined(tool.path("type").asText(""));
      }
    }
    return any ? Usage.saturatedAdd(tokens, SYSTEM_PROMPT + added) : tokens;
  }

  /** Returns the tokens of the definition Anthropic puts in place of a defined tool of {@code type}, else 0. */
  private static long defined(String type) {
    for (Map.Entry<String, Long> entry : DEFINED.entrySet()) {
      if (type.startsWith(entry.getKey())) {
        return entry.getValue();
      }
    }
    return 0;
  }
}
