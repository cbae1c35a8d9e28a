package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.server.anthropic.BlockEvents.Block;
import io.reliapi.server.anthropic.HeldCalls.HeldCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The order of one streamed message's content blocks (text, thinking, tool calls, blocks given whole), written by
 * {@link BlockEvents}.
 * Anthropic's blocks come one after another: one is open at a time, and a block never gets a delta after its stop
 * (its SDKs read a call's input at its stop). A neutral stream need not keep that order, so a tool call's block
 * closes only once its arguments are done, whole JSON or never to be ({@link ToolArgumentsProgress}, which reads
 * each fragment once), or the message ends: a call that begins before is held, and text or reasoning that comes
 * before waits (see {@link #nameDone}, {@link #text}). A call is held, too, until its id and its whole name are known.
 */
final class MessageBlocks {
  private final BlockEvents blocks;
  /** The calls whose block has opened. */
  private final Set<Integer> started = new HashSet<>();
  /** Calls not yet written: begun while another call's block was open, or not yet named. */
  private final HeldCalls held = new HeldCalls();
  /** Text and reasoning that came while the open call's arguments (or a held call's) were not yet whole. */
  private final List<Runnable> waiting = new ArrayList<>();
  private Integer openTool;
  /** The call whose name may still come in pieces, its block not yet open. */
  private Integer naming;
  private ToolArgumentsProgress openArguments;

  /** The events go to {@code events}: the event's name and its data. */
  MessageBlocks(BiConsumer<String, ObjectNode> events) {
    this.blocks = new BlockEvents(events);
  }

  /** Writes text; while a call's arguments are unfinished it waits, to follow that call's block. */
  void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    nameDone();
    if (mustWait()) {
      waiting.add(() -> text(text));
      return;
    }
    if (blocks.open() != Block.TEXT) {
      stopOpen();
      blocks.start(Block.TEXT, MessageJson.text(""));
    }
    blocks.delta(ChatJson.object().put("type", "text_delta").put("text", text));
  }

  /** Writes an Anthropic item: a block given whole, or a citation of the open text block; it waits as text does. */
  void item(ObjectNode block) {
    nameDone();
    if (mustWait()) {
      waiting.add(() -> item(block));
    } else if (!blocks.citeOpenText(block)) {
      stopOpen();
      blocks.whole(block);
    }
  }

  void reasoning(ChatChunk.Reasoning reasoning) {
    nameDone();
    if (mustWait()) {
      waiting.add(() -> reasoning(reasoning));
      return;
    }
    if (reasoning.redacted()) {
      stopOpen();
      blocks.start(Block.THINKING, MessageJson.thinking(reasoning));
      blocks.stop();
      return;
    }
    if (blocks.open() != Block.THINKING) {
      stopOpen();
      blocks.start(Block.THINKING, MessageJson.thinking(new ChatChunk.Reasoning("", "", false)));
    }
    if (!reasoning.text().isEmpty()) {
      blocks.delta(ChatJson.object().put("type", "thinking_delta").put("thinking", reasoning.text()));
    }
    if (reasoning.signature() != null) {
      blocks.delta(ChatJson.object().put("type", "signature_delta").put("signature", reasoning.signature()));
      blocks.openAs(Block.SIGNED_THINKING); // a signature ends its block: more reasoning is a block of its own
    }
  }

  /**
   * Names a tool call, or goes on naming it: an OpenAI-protocol server may split a name across deltas ({@code "get_"},
   * then {@code "weather"}), so the pieces join and the call's block waits until the name is whole: its arguments
   * start, other content or another call comes, or the message ends ({@link #nameDone}).
   */
  void toolCall(int call, String id, String name) {
    if (started.contains(call)) {
      // Its block has started, named, and a started block cannot be renamed: a later piece of its name is dropped
      // (the client was told the name; /v1/responses drops it too, so its item's added and done events agree).
      return;
    }
    if (naming != null && naming != call) {
      nameDone();
    }
    HeldCall later = held.hold(call);
    later.id = id.isEmpty() ? later.id : id;
    later.name.append(name);
    later.naming = true;
    naming = call;
  }

  /**
   * The call being named has its whole name: its block opens once its id and name are both known (a server may send
   * the first fragments, or the name, after the id). Another call's block still open closes first when the
   * arguments it and the held calls have are done (the way OpenAI streams parallel calls, one after another); while
   * they are not, that call may go on (an OpenAI-protocol server may interleave the fragments of parallel calls): the
   * later call is then held, with its fragments, and follows whole when the open block closes.
   */
  private void nameDone() {
    if (naming == null) {
      return;
    }
    int call = naming;
    naming = null;
    HeldCall later = held.hold(call);
    later.naming = false;
    if (!later.named()) {
      return;
    }
    held.release(call);
    if (openTool != null && settled()) {
      stopOpen();
      runWaiting();
    }
    if (openTool != null) {
      held.hold(call, later);
      return;
    }
    stopOpen();
    started.add(call);
    openTool = call;
    openArguments = later.arguments;
    blocks.start(Block.TOOL, MessageJson.toolUseStart(later.id, later.name.toString()));
    if (!later.arguments.isEmpty()) {
      blocks.inputDelta(later.arguments.toString());
    }
  }

  /**
   * Writes an argument fragment to its call's block if it is the open one, else to the call's buffer while it is
   * held. A block stops only once its arguments are done, so a fragment for a stopped block could only be
   * whitespace or spoil them: it is dropped.
   */
  void toolArgs(ChatChunk.ToolArgs args) {
    nameDone();
    int call = args.index();
    if (openTool != null && openTool == call) {
      openArguments.append(args.fragment());
      blocks.inputDelta(args.fragment());
    } else if (!started.contains(call)) {
      held.hold(call).arguments.append(args.fragment());
    }
    if (!waiting.isEmpty() && settled()) {
      stopOpen();
      runWaiting();
    }
  }

  /** Ends the message's blocks: the open one, what waited for it, and last the calls never named, as they came. */
  void close() {
    nameDone();
    stopOpen();
    runWaiting();
    stopOpen();
    held.releaseAll(this::writeWhole);
  }

  /** Whether text or reasoning must wait: a call's block is open and it, or a held call, may still get fragments. */
  private boolean mustWait() {
    return openTool != null && (!waiting.isEmpty() || !settled());
  }

  /**
   * Whether the open call's arguments and those of the named calls held behind it are done: whole JSON, or never
   * to be (more fragments could not mend them, so text need not wait for them).
   */
  private boolean settled() {
    return openArguments.done() && held.settled();
  }

  private void runWaiting() {
    List<Runnable> now = List.copyOf(waiting);
    waiting.clear();
    now.forEach(Runnable::run);
  }

  /** Stops the open block (if any); after a tool call's, the named calls held meanwhile follow, each whole. */
  private void stopOpen() {
    if (blocks.open() == Block.NONE) {
      return;
    }
    blocks.stop();
    if (openTool != null) {
      openTool = null;
      held.releaseNamed(this::writeWhole);
    }
  }

  private void writeWhole(int index, HeldCall call) {
    started.add(index);
    blocks.start(Block.TOOL, MessageJson.toolUseStart(call.id, call.name.toString()));
    if (!call.arguments.isEmpty()) {
      blocks.inputDelta(call.arguments.toString());
    }
    blocks.stop();
  }
}
