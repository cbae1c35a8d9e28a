package io.reliapi.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A mock of OpenAI's Responses API ({@code /v1/responses}) on the wire: whole {@code response} objects and
 * streams of typed events, shaped like recordings of api.openai.com (see
 * {@code /work/briefs/research/openai-responses.md}).
 */
public final class ResponsesBehaviors {
  public static final String ID = "resp_684b3e43e9648199951aea692dce026b010b42c5871a937b";

  private ResponsesBehaviors() {}

  static String usage(int input, int output) {
    return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + output
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (input + output) + "}";
  }

  public static String response(String model, String status, String incomplete, String output, String usage) {
    return "{\"id\":\"" + ID + "\",\"object\":\"response\",\"created_at\":" + LlmBehaviors.CREATED + ",\"status\":\""
        + status + "\",\"background\":false,\"error\":null,\"incomplete_details\":" + incomplete + ","
        + "\"instructions\":null,\"max_output_tokens\":2048,\"model\":\"" + model + "\",\"output\":" + output + ","
        + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},"
        + "\"service_tier\":\"default\",\"store\":false,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},"
        + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" + usage + ","
        + "\"user\":null,\"metadata\":{}}";
  }

  public static String message(String text, String status) {
    return "{\"id\":\"msg_684b3e45\",\"type\":\"message\",\"status\":\"" + status + "\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"" + text + "\"}]}";
  }

  static String functionCall(String callId, String name, String arguments, String status) {
    return "{\"id\":\"fc_684b3e6b\",\"type\":\"function_call\",\"status\":\"" + status + "\",\"arguments\":\""
        + arguments + "\",\"call_id\":\"" + callId + "\",\"name\":\"" + name + "\"}";
  }

  /** A completed answer saying {@code text} (JSON-escaped). */
  public static String text(String model, String text, int input, int output) {
    return response(model, "completed", "null", "[" + message(text, "completed") + "]", usage(input, output));
  }

  public static Behavior answer(String model, String text, int input, int output) {
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(), text(model, text, input, output));
  }

  /** A completed answer whose only output is a call of {@code name} with {@code arguments} (JSON-escaped). */
  public static Behavior call(String model, String callId, String name, String arguments, int input, int output) {
    String reasoning = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}";
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(), response(model, "completed", "null",
        "[" + reasoning + "," + functionCall(callId, name, arguments, "completed") + "]", usage(input, output)));
  }

  /** An answer cut short by {@code max_output_tokens}. */
  public static Behavior cut(String model, String text, int input, int output) {
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(), response(model, "incomplete",
        "{\"reason\":\"max_output_tokens\"}", "[" + message(text, "incomplete") + "]", usage(input, output)));
  }

  private static String event(String type, int sequence, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":" + sequence
        + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }

  private static List<String> opening(String model) {
    String created = response(model, "in_progress", "null", "[]", "null");
    return new ArrayList<>(List.of(event("response.created", 0, "\"response\":" + created),
        event("response.in_progress", 1, "\"response\":" + created)));
  }

  /** The events of a streamed answer saying {@code pieces}, ending in {@code response.completed}. */
  public static List<String> textEvents(String model, List<String> pieces, int input, int output) {
    String text = String.join("", pieces);
    return messageEvents(model, pieces, "output_text", "\"annotations\":[],\"text\"", ",\"logprobs\":[]",
        message(text, "completed"), usage(input, output));
  }

  /** A completed answer whose message is a refusal saying {@code refusal} (JSON-escaped). */
  public static Behavior refusal(String model, String refusal) {
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(), response(model, "completed", "null",
        "[" + refusalMessage(refusal) + "]", usage(9, 7)));
  }

  private static String refusalMessage(String refusal) {
    return "{\"id\":\"msg_684b3e45\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"refusal\",\"refusal\":\"" + refusal + "\"}]}";
  }

  /** The events of a streamed refusal saying {@code pieces}, ending in {@code response.completed}. */
  public static List<String> refusalEvents(String model, List<String> pieces) {
    return messageEvents(model, pieces, "refusal", "\"refusal\"", "", refusalMessage(String.join("", pieces)),
        usage(9, 7));
  }

  /**
   * The events of a message with one content part of {@code type} ({@code output_text}, {@code refusal}) said in
   * {@code pieces}: {@code field} names its text in the part (after the part's other members), {@code more} is
   * added to its deltas and done event, {@code item} is the finished message.
   */
  private static List<String> messageEvents(String model, List<String> pieces, String type, String field,
      String more, String item, String usage) {
    List<String> events = opening(model);
    int seq = messageItem(events, 2, 0, "msg_684b3e45", pieces, type, field, more, item);
    events.add(event("response.completed", seq, "\"response\":" + response(model, "completed", "null",
        "[" + item + "]", usage)));
    return events;
  }

  /**
   * Adds the events of the message {@code id} at {@code index}, numbered from {@code seq}, to {@code events}, as
   * {@link #messageEvents} describes it; returns the next number.
   */
  private static int messageItem(List<String> events, int seq, int index, String id, List<String> pieces, String type,
      String field, String more, String item) {
    String at = "\"item_id\":\"" + id + "\",\"output_index\":" + index + ",\"content_index\":0";
    events.add(event("response.output_item.added", seq++, "\"output_index\":" + index + ",\"item\":{\"id\":\"" + id
        + "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}"));
    events.add(event("response.content_part.added", seq++, at + ",\"part\":{\"type\":\"" + type + "\"," + field
        + ":\"\"}"));
    for (String piece : pieces) {
      events.add(event("response." + type + ".delta", seq++, at + ",\"delta\":\"" + piece + "\"" + more));
    }
    String text = String.join("", pieces);
    String doneField = type.equals("refusal") ? "\"refusal\"" : "\"text\"";
    events.add(event("response." + type + ".done", seq++, at + "," + doneField + ":\"" + text + "\"" + more));
    events.add(event("response.content_part.done", seq++, at + ",\"part\":{\"type\":\"" + type + "\"," + field
        + ":\"" + text + "\"}"));
    events.add(event("response.output_item.done", seq++, "\"output_index\":" + index + ",\"item\":" + item));
    return seq;
  }

  /** What a hosted web search sends while it runs: the search's status, again and again. */
  public static final String SEARCHING = event("response.web_search_call.searching", 0,
      "\"output_index\":1,\"item_id\":\"ws_68a1\"");

  /**
   * The events of an answer that says {@code before}, searches the web with the hosted tool, then says
   * {@code after}; the search runs until the event at {@link #searchRuns} ({@link #SEARCHING} is what it sends
   * meanwhile).
   */
  public static List<String> searchEvents(String model, String before, String after) {
    String search = "{\"id\":\"ws_68a1\",\"type\":\"web_search_call\",\"status\":\"completed\","
        + "\"action\":{\"type\":\"search\",\"query\":\"vert.x 5 release\"}}";
    String first = message(before, "completed");
    String second = message(after, "completed").replace("msg_684b3e45", "msg_684b3e46");
    String textField = "\"annotations\":[],\"text\"";
    List<String> events = opening(model);
    int seq = messageItem(events, 2, 0, "msg_684b3e45", List.of(before), "output_text", textField, "", first);
    String at = "\"output_index\":1,\"item_id\":\"ws_68a1\"";
    events.add(event("response.output_item.added", seq++, "\"output_index\":1,\"item\":"
        + search.replace("\"completed\"", "\"in_progress\"")));
    events.add(event("response.web_search_call.in_progress", seq++, at));
    events.add(event("response.web_search_call.searching", seq++, at));
    events.add(event("response.web_search_call.completed", seq++, at));
    events.add(event("response.output_item.done", seq++, "\"output_index\":1,\"item\":" + search));
    seq = messageItem(events, seq, 2, "msg_684b3e46", List.of(after), "output_text", textField, "", second);
    events.add(event("response.completed", seq, "\"response\":" + response(model, "completed", "null",
        "[" + first + "," + search + "," + second + "]", usage(3000, 120))));
    return events;
  }

  /** Returns the index in {@link #searchEvents} of the event the hosted search ends with: it runs just before. */
  public static int searchRuns(List<String> events) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith("event: response.web_search_call.completed")) {
        return i;
      }
    }
    throw new IllegalArgumentException("no hosted search in the events");
  }

  /** The events of a streamed call of {@code name}, its arguments in {@code pieces} (JSON-escaped). */
  public static List<String> callEvents(String model, String callId, String name, List<String> pieces, int input,
      int output) {
    return callEvents(model, List.of(), "fc_684b3e6b", "response.function_call_arguments", "arguments",
        (text, status) -> functionCall(callId, name, text, status), pieces, usage(input, output));
  }

  static String customCall(String callId, String name, String input, String status) {
    return "{\"id\":\"ctc_684b3e6c\",\"type\":\"custom_tool_call\",\"status\":\"" + status + "\",\"call_id\":\""
        + callId + "\",\"input\":\"" + input + "\",\"name\":\"" + name + "\"}";
  }

  /** A completed answer whose only output is a call of the custom tool {@code name} with {@code input} (escaped). */
  public static Behavior customCall(String model, String callId, String name, String input, int inputTokens,
      int outputTokens) {
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(), response(model, "completed", "null",
        "[" + customCall(callId, name, input, "completed") + "]", usage(inputTokens, outputTokens)));
  }

  /**
   * The events of a streamed reasoning item (with its encrypted content) and a call of the custom tool {@code name},
   * its input in {@code pieces} (JSON-escaped), as OpenAI streams a freeform tool's text.
   */
  public static List<String> customCallEvents(String model, String callId, String name, List<String> pieces,
      int input, int output) {
    String reasoning = "{\"id\":\"rs_2\",\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAAAB2\"}";
    return callEvents(model, List.of(reasoning), "ctc_684b3e6c", "response.custom_tool_call_input", "input",
        (text, status) -> customCall(callId, name, text, status), pieces, usage(input, output));
  }

  /**
   * The events of the whole items {@code before}, then of a call item ({@code item} writes it from its text and
   * status) whose text streams in {@code pieces} as {@code kind.delta} events and ends in {@code kind.done} with
   * the whole text as {@code field}.
   */
  private static List<String> callEvents(String model, List<String> before, String itemId, String kind, String field,
      BiFunction<String, String, String> item, List<String> pieces, String usage) {
    List<String> events = opening(model);
    int seq = 2;
    for (int i = 0; i < before.size(); i++) {
      events.add(event("response.output_item.added", seq++, "\"output_index\":" + i + ",\"item\":" + before.get(i)));
      events.add(event("response.output_item.done", seq++, "\"output_index\":" + i + ",\"item\":" + before.get(i)));
    }
    String index = "\"output_index\":" + before.size();
    String at = "\"item_id\":\"" + itemId + "\"," + index;
    events.add(event("response.output_item.added", seq++, index + ",\"item\":" + item.apply("", "in_progress")));
    for (String piece : pieces) {
      events.add(event(kind + ".delta", seq++, at + ",\"delta\":\"" + piece + "\""));
    }
    String whole = String.join("", pieces);
    events.add(event(kind + ".done", seq++, at + ",\"" + field + "\":\"" + whole + "\""));
    String done = item.apply(whole, "completed");
    events.add(event("response.output_item.done", seq++, index + ",\"item\":" + done));
    List<String> output = new ArrayList<>(before);
    output.add(done);
    events.add(event("response.completed", seq, "\"response\":" + response(model, "completed", "null",
        "[" + String.join(",", output) + "]", usage)));
    return events;
  }

  /** A stream that fails before any output: {@code response.failed} with {@code code}. */
  public static List<String> failedEvents(String model, String code) {
    List<String> events = opening(model);
    String failed = response(model, "failed", "null", "[]", "null")
        .replace("\"error\":null", "\"error\":{\"code\":\"" + code + "\",\"message\":\"Something went wrong\"}");
    events.add(event("response.failed", 2, "\"response\":" + failed));
    return events;
  }
}
