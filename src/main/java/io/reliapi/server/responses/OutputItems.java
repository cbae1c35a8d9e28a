package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.FreeformCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output items of one answer, built from its neutral parts as they arrive, with the stream events that
 * announce them: the assistant's text becomes one {@code message} item with an {@code output_text} part (and a
 * {@code refusal} part for a refusal, in the order they first appear: {@link MessageParts}), each tool call a {@code function_call} item,
 * numbered in the order they first appear, or a {@code custom_tool_call} item when it calls one of the request's
 * custom tools (its text read from the {@link FreeformCall} arguments, announced whole when it closes). Items stay
 * open until the answer ends (so argument fragments of calls the provider interleaves still find their item), then
 * close in order. An item the provider gave whole in this API's form (reasoning with its {@code encrypted_content}, a
 * hosted tool's call) is told whole where it came, after the message before it is told done (text after it opens a new
 * message); an annotation of the text it gave joins the text's part.
 * Reasoning parts are not rendered. The same items serve a live stream, a replayed one and a whole answer (whose
 * events nobody reads).
 */
final class OutputItems {

  /** Where the events go: the event's type and its fields after {@code type} and {@code sequence_number}. */
  @FunctionalInterface
  interface Events {
    void emit(String type, ObjectNode fields);
  }

  /**
   * The member of a Responses protocol item that makes it an annotation of the text, written where the provider's
   * answer is read ({@code llm.openai.TextAnnotations}), not an output item.
   */
  private static final String ANNOTATION = "annotation";

  private final String base;
  private final Set<String> customTools;
  private final Events events;
  private final List<OutputItem> items = new ArrayList<>();
  private final Map<Integer, OutputItem> calls = new HashMap<>();
  private final MessageParts message;
  /** The call whose name may still come in pieces, not yet announced; null when none. */
  private Naming naming;
  /** How many message items were opened: the first is {@code msg_<id>}, a later one {@code msg_<id>_<output index>}. */
  private int messages;

  /** Items of the response {@code responseId}; their ids are made from it. */
  OutputItems(String responseId, Set<String> customTools, Events events) {
    this.base = responseId.startsWith("resp_") ? responseId.substring(5) : responseId;
    this.customTools = customTools;
    this.events = events;
    this.message = new MessageParts(() -> {
      String id = "msg_" + base + (messages++ == 0 ? "" : "_" + items.size());
      OutputItem opened = OutputItem.message(items.size(), id);
      items.add(opened);
      events.emit("response.output_item.added", added(opened));
      return opened;
    }, events);
  }

  void add(ChatChunk.Part part) {
    if (naming != null && !(part instanceof ChatChunk.ToolCall call && call.index() == naming.index)) {
      announce();
    }
    switch (part) {
      case ChatChunk.Text text -> message.text(text.text());
      case ChatChunk.ProtocolItem item -> item(item);
      case ChatChunk.Refusal refusal -> message.refusal(refusal.text());
      case ChatChunk.ToolCall call -> call(call.index(), call.id(), call.name());
      case ChatChunk.ToolArgs args -> arguments(args.index(), args.fragment());
      case ChatChunk.Start start -> { }
      case ChatChunk.Reasoning reasoning -> { } // shown as reasoning items alone: WireProtocol.showsReasoningText
      case ChatChunk.Finish finish -> { }
    }
  }

  /**
   * Adds an item the provider gave whole in the Responses API's form (reasoning, a hosted tool's call), announced and
   * done at once, in its place among the others. Only this API's items come here: another protocol's became its text
   * where it left the decoder ({@code ProtocolItems.shownIn}), and a stored answer keeps only its client's.
   */
  private void item(ChatChunk.ProtocolItem item) {
    if (!(Json.parseOrNull(item.json().getBytes(StandardCharsets.UTF_8)) instanceof ObjectNode json)) {
      message.text(item.text());
      return;
    }
    if (json.get(ANNOTATION) instanceof ObjectNode annotation) {
      message.annotate(annotation);
      return;
    }
    endMessage();
    OutputItem given = OutputItem.given(items.size(), json);
    given.done = json;
    items.add(given);
    events.emit("response.output_item.added", added(given));
    events.emit("response.output_item.done", added(given));
  }

  /**
   * Tells the open message done before an item given whole, as OpenAI tells its items one after another: text after
   * the item is a message of its own, after it (message, web search call, message).
   */
  private void endMessage() {
    OutputItem ended = message.end();
    if (ended != null) {
      ended.done = ended.json("completed");
      events.emit("response.output_item.done",
          ChatJson.object().put("output_index", ended.outputIndex).set("item", ended.done));
    }
  }

  /**
   * A call begins or goes on naming itself: an OpenAI-protocol server may split a name across deltas ({@code "get_"},
   * then {@code "weather"}), so its item is announced only once the name is whole, at the next part that is not a
   * piece of it (its arguments, other content, another call, the finish) or at the close.
   */
  private void call(int index, String callId, String name) {
    OutputItem call = calls.get(index);
    if (call == null) {
      naming = naming != null ? naming : new Naming(index);
      naming.callId = callId != null ? callId : naming.callId;
      naming.add(name);
      return;
    }
    call.callId = callId != null ? callId : call.callId;
    if (call.name == null || !call.namedWhenAnnounced) {
      // Announced before any name came (some servers send it after the arguments): the name that comes is its.
      call.name = name == null ? call.name : call.name == null ? name : call.name + name;
    }
    // A piece of a name already announced is dropped, as on /v1/messages, whose started block cannot be renamed:
    // the item's done event then says what its added event did.
  }

  /** Announces the call being named, its name now whole. */
  private void announce() {
    Naming named = naming;
    naming = null;
    String name = named.name();
    boolean custom = name != null && customTools.contains(name);
    OutputItem call = OutputItem.call(items.size(), (custom ? "ctc_" : "fc_") + base + "_" + named.index, named.callId,
        name, custom);
    calls.put(named.index, call);
    items.add(call);
    events.emit("response.output_item.added", added(call));
  }


  private void arguments(int index, String fragment) {
    if (!calls.containsKey(index)) {
      call(index, null, null);
      announce();
    }
    if (fragment.isEmpty()) {
      return;
    }
    OutputItem call = calls.get(index);
    call.text.append(fragment);
    if (call.custom()) {
      return; // the arguments wrap the text: it is told whole when the item closes
    }
    events.emit("response.function_call_arguments.delta", call.at().put("delta", fragment));
  }

  /**
   * Closes every item, {@code completed} or, for an answer cut short, {@code incomplete}, and returns them as the
   * response's {@code output}. An answer with neither text nor tool calls still has its (empty) message.
   */
  ArrayNode close(boolean complete) {
    if (naming != null) {
      announce();
    }
    if (messages == 0 && calls.isEmpty()) {
      message.openEmpty();
    }
    String status = complete ? "completed" : "incomplete";
    ArrayNode output = ChatJson.array();
    for (OutputItem item : items) {
      if (item.done != null) {
        output.add(item.done); // told done before the end
        continue;
      }
      if (message.is(item)) {
        message.close();
      } else if (item.custom()) {
        String input = FreeformCall.input(item.text.toString());
        events.emit("response.custom_tool_call_input.delta", item.at().put("delta", input));
        events.emit("response.custom_tool_call_input.done", item.at().put("input", input));
      } else {
        events.emit("response.function_call_arguments.done", item.at().put("name", item.name)
            .put("arguments", item.text.toString()));
      }
      ObjectNode json = item.json(status);
      events.emit("response.output_item.done", ChatJson.object().put("output_index", item.outputIndex).set("item", json));
      output.add(json);
    }
    return output;
  }

  /** Returns the items as they stand, each {@code incomplete}, for an answer that broke off; no events. */
  ArrayNode partial() {
    ArrayNode output = ChatJson.array();
    items.forEach(item -> output.add(item.done != null ? item.done : item.json("incomplete")));
    return output;
  }

  private ObjectNode added(OutputItem item) {
    return ChatJson.object().put("output_index", item.outputIndex).set("item", item.json("in_progress"));
  }

  /** A call not yet announced: its name may still come in pieces. */
  private static final class Naming {
    final int index;
    String callId;
    /** The pieces of its name (joined in a builder: a name may come a character at a time); null before any. */
    private StringBuilder name;

    Naming(int index) {
      this.index = index;
    }

    void add(String piece) {
      if (piece != null) {
        name = name == null ? new StringBuilder(piece) : name.append(piece);
      }
    }

    String name() {
      return name == null ? null : name.toString();
    }
  }
}
