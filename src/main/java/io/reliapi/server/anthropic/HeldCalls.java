package io.reliapi.server.anthropic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The tool calls of a streamed message held back from being written ({@link MessageBlocks}): begun while another
 * call's block was open, or not yet named; each with its id, name and the argument fragments that came meanwhile,
 * in the order they began.
 */
final class HeldCalls {
  private final Map<Integer, HeldCall> held = new LinkedHashMap<>();

  /** Returns call {@code index}'s entry, held from now on if it was not. */
  HeldCall hold(int index) {
    return held.computeIfAbsent(index, i -> new HeldCall());
  }

  /** Holds {@code call} as call {@code index} (again). */
  void hold(int index, HeldCall call) {
    held.put(index, call);
  }

  /** Stops holding call {@code index}. */
  void release(int index) {
    held.remove(index);
  }

  /** Whether the arguments of every named call held are done (whole JSON, or never to be). */
  boolean settled() {
    for (HeldCall later : held.values()) {
      if (later.named() && !later.arguments.done()) {
        return false;
      }
    }
    return true;
  }

  /** Hands the named calls to {@code write}, in order, and holds them no more. */
  void releaseNamed(BiConsumer<Integer, HeldCall> write) {
    List<Integer> named = held.keySet().stream().filter(call -> held.get(call).named()).toList();
    named.forEach(call -> write.accept(call, held.remove(call)));
  }

  /** Hands every call held to {@code write}, in order, and holds none. */
  void releaseAll(BiConsumer<Integer, HeldCall> write) {
    held.forEach(write);
    held.clear();
  }

  /** A tool call held back: another call's block is open, or its id or whole name is not known yet. */
  static final class HeldCall {
    String id = "";
    /** The pieces of its name, joined in a builder: a name may come a character at a time. */
    final StringBuilder name = new StringBuilder();
    /** Whether more pieces of its name may come. */
    boolean naming;
    final ToolArgumentsProgress arguments = new ToolArgumentsProgress();

    boolean named() {
      return !id.isEmpty() && !name.isEmpty() && !naming;
    }
  }
}
