package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a chat call may cost on top of its tokens: tools the provider runs on its side and bills per use. A pure
 * function of the request, for the cost controls (docs/guides/budget-control.md, "Provider-side tools"). Each such tool
 * is either bounded before the call (Anthropic's web search with {@code max_uses}: at most that many searches,
 * each at {@link #WEB_SEARCH_USD}) or not: billed by time (code execution), per call with no bound the request
 * sets (a web search without {@code max_uses}, OpenAI's hosted tools and search models, Gemini's grounding), run
 * against remote servers in a loop no field bounds (Anthropic's MCP connector), or a tool type the gateway does
 * not know, or served by a router that picks another model or runs plugins it bills ({@link #routed}), where those
 * fields reach it. Function tools, and the tools billed in tokens alone, add nothing; of those, Anthropic's web fetch
 * brings in tokens the prompt does not hold, so it is unbounded without {@code max_uses} and
 * {@code max_content_tokens} ({@link FetchedContent} counts them where given). A premium speed (Anthropic's
 * {@code "speed": "fast"}) is unbounded too. Audio is priced by the model's audio prices ({@link AudioUse}).
 *
 * <p>Every place a tool can reach the provider is read: the body a client wrote in a provider protocol (in its
 * protocol's terms), else the request's options (chat's dialect), and {@code /proxy/llm}'s {@code extra} (in the
 * target provider's terms).
 */
public final class ToolFees {
  /** Anthropic's web search, and OpenAI's {@code web_search} (per call): USD 10 per 1 000 searches. */
  public static final BigDecimal WEB_SEARCH_USD = new BigDecimal("0.01");
  /** Anthropic tool types run by the client: they add no fee. */
  private static final List<String> ANTHROPIC_TOKENS_ONLY = List.of("bash_", "text_editor_", "computer_",
      "memory_");

  /** The fields with which a router (OpenRouter, LiteLLM) may answer with models other than the one named. */
  private static final List<String> ROUTER_FALLBACKS = List.of("models", "fallbacks", "context_window_fallbacks",
      "content_policy_fallbacks", "preset");

  private ToolFees() {}

  /** The fees a request adds to its tokens. */
  public sealed interface Fees {}

  /** At most {@code usd} in fees ({@code 0} when the request uses no billed tool). */
  public record Bounded(BigDecimal usd) implements Fees {}

  /** A billed tool whose fees cannot be bounded before the call: {@code field} names it, {@code tool} says what. */
  public record Unbounded(String field, String tool, String why) implements Fees {}

  /**
   * Returns the fees of {@code request} sent in the {@code target} protocol (the serving adapter's, {@code
   * Provider#serving}): the first unbounded, else the sum.
   */
  public static Fees of(ChatRequest request, WireProtocol target) {
    Optional<Unbounded> model = searchModel(request.model());
    if (model.isPresent()) {
      return model.get();
    }
    Fees body = request.nativeBody()
        .map(NativeBody::protocol)
        .map(protocol -> of(request.nativeBody().get().body(), protocol, "", sentAsWritten(protocol, target)))
        .orElseGet(() -> of(request.options(), WireProtocol.OPENAI_CHAT, "",
            sentAsWritten(WireProtocol.OPENAI_CHAT, target)));
    Fees extra = of(request.extra(), target, "extra.", true);
    if (body instanceof Unbounded) {
      return body;
    }
    if (extra instanceof Unbounded) {
      return extra;
    }
    return new Bounded(((Bounded) body).usd().add(((Bounded) extra).usd()));
  }

  /**
   * Returns whether fields a body written in {@code body} holds beyond the neutral model reach a provider sent the
   * {@code target} protocol (the one that serves the call: a Responses body to an OpenAI target without the Responses
   * API is sent as chat): a body in that protocol is sent as written; a translation for another protocol carries only
   * what it understands, which leaves a router's fields out.
   */
  static boolean sentAsWritten(WireProtocol body, WireProtocol target) {
    return body == target;
  }

  /**
   * Returns the fees of the tool fields of {@code body}, written in {@code protocol}; {@code prefix} leads field names.
   * A router's fields ({@link #routed}) count only where {@code sent}: they reach the provider as written.
   */
  static Fees of(JsonNode body, WireProtocol protocol, String prefix, boolean sent) {
    if (protocol == WireProtocol.ANTHROPIC_MESSAGES && given(body.get("mcp_servers"))) {
      return new Unbounded(prefix + "mcp_servers", "MCP connector",
          "run by the provider against remote servers, in a loop no field bounds");
    }
    JsonNode search = body.get("web_search_options");
    if (protocol == WireProtocol.OPENAI_CHAT && search != null && !search.isNull()) { // {} turns search on
      return new Unbounded(prefix + "web_search_options", "web search",
          "billed per search, and the number of searches is neither bounded nor reported");
    }
    if (sent) {
      Optional<Unbounded> routed = routed(body, prefix);
      if (routed.isPresent()) {
        return routed.get();
      }
    }
    JsonNode speed = body.get("speed"); // Anthropic's fast mode; OpenRouter takes it on the OpenAI protocol too
    if (given(speed) && !speed.asText("").equals("standard")) {
      return new Unbounded(prefix + "speed", printable(speed.asText("?")),
          "served faster at a premium over the model's price (up to six times), which the price table does not have");
    }
    BigDecimal bound = BigDecimal.ZERO;
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray()) {
      return new Bounded(bound);
    }
    for (int i = 0; i < tools.size(); i++) {
      String field = prefix + "tools[" + i + "]";
      Fees fees = tool(tools.get(i), protocol, field);
      if (fees instanceof Unbounded unbounded) {
        return unbounded;
      }
      bound = bound.add(((Bounded) fees).usd());
    }
    return new Bounded(bound);
  }

  private static Fees tool(JsonNode tool, WireProtocol protocol, String field) {
    if (protocol == WireProtocol.GEMINI_GENERATE_CONTENT) {
      for (var property : tool.properties()) {
        String name = property.getKey();
        if (!name.equals("functionDeclarations") && !name.equals("function_declarations")) {
          return unknown(field, name);
        }
      }
      return free();
    }
    String type = tool.path("type").asText("");
    if (type.isEmpty() || type.equals("function") || type.equals("custom")) {
      return free();
    }
    if (protocol != WireProtocol.ANTHROPIC_MESSAGES) {
      return new Unbounded(field, printable(type), "a tool the provider runs and bills per use, with no bound the gateway can price");
    }
    if (type.startsWith("web_search_")) {
      OptionalLong maxUses = positive(tool.get("max_uses"));
      if (maxUses.isEmpty()) {
        return new Unbounded(field, printable(type), "billed per search, and without 'max_uses' the searches are not bounded");
      }
      return new Bounded(WEB_SEARCH_USD.multiply(BigDecimal.valueOf(maxUses.getAsLong())));
    }
    if (type.startsWith("web_fetch_")) { // billed in tokens only, which FetchedContent bounds
      return FetchedContent.bounded(tool) ? free() : new Unbounded(field, printable(type),
          "billed in input tokens per fetched document, and without 'max_uses' and 'max_content_tokens' they are not "
          + "bounded");
    }
    if (ANTHROPIC_TOKENS_ONLY.stream().anyMatch(type::startsWith)) {
      return free();
    }
    if (type.startsWith("code_execution_")) {
      return new Unbounded(field, printable(type), "billed by container time, which nothing bounds before the call");
    }
    return unknown(field, type);
  }

  /**
   * A router bills what it chose: another model from a fallback list (OpenRouter's {@code models} and the models of a
   * {@code preset}, LiteLLM's {@code fallbacks}, {@code context_window_fallbacks}, {@code content_policy_fallbacks})
   * at that model's price, and OpenRouter's {@code plugins} (web results, PDF pages) per use; the estimate has the
   * requested model's price only. Both routers take these fields on their Anthropic Messages endpoints too.
   */
  private static Optional<Unbounded> routed(JsonNode body, String prefix) {
    for (String field : ROUTER_FALLBACKS) {
      if (given(body.get(field))) {
        return Optional.of(new Unbounded(prefix + field, "model fallback list",
            "a list of other models the server may answer with instead, each billed at its own price"));
      }
    }
    if (given(body.get("plugins"))) {
      return Optional.of(new Unbounded(prefix + "plugins", "router plugins",
          "run by the router and billed per use (web results, PDF pages), with no bound the gateway can price"));
    }
    return Optional.empty();
  }

  /** OpenAI's search models search on every call, billed per search, and report no count. */
  private static Optional<Unbounded> searchModel(String model) {
    String lower = model.toLowerCase(Locale.ROOT);
    if (lower.contains("-search-preview") || lower.contains("-search-api")) {
      return Optional.of(new Unbounded("model", printable(model),
          "a search model: billed per search, and the number of searches is neither bounded nor reported"));
    }
    return Optional.empty();
  }

  private static Unbounded unknown(String field, String tool) {
    return new Unbounded(field, printable(tool), "a tool the gateway has no price for, which the provider may bill per use");
  }

  /** Returns {@code name} (from the client) fit for an error message: printable ASCII, at most 64 characters. */
  private static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) : name;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static Bounded free() {
    return new Bounded(BigDecimal.ZERO);
  }

  /** Returns a tool's limit field ({@code max_uses}, …) where it is an integer of at least 1, else empty. */
  static OptionalLong positive(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(node.asLong());
  }

  private static boolean given(JsonNode node) {
    return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
  }
}
