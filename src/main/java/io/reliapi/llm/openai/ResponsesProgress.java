package io.reliapi.llm.openai;

import java.util.List;

/**
 * Which Responses stream events that add nothing to the answer still say the provider is at work on it, so they
 * start the idle limit over ({@link io.reliapi.llm.StreamDecoder#signsOfWork}): a hosted tool's status while it runs
 * ({@code response.web_search_call.searching}, {@code response.file_search_call.in_progress},
 * {@code response.code_interpreter_call.interpreting}, {@code response.image_generation_call.generating} and its
 * {@code partial_image}s, {@code response.mcp_call.in_progress}, {@code response.mcp_list_tools.in_progress}), the
 * response's own {@code response.in_progress}, and a piece of an item the decoder gives whole at its end (a code
 * interpreter's code, an MCP call's arguments: {@code *.delta}). A hosted search may run far longer than the gap
 * between two tokens, and these are all it sends meanwhile. Bookkeeping ({@code *.done}, {@code *.added},
 * {@code *.completed}, {@code response.queued}) is not: the event that moves the answer on comes with it.
 */
final class ResponsesProgress {
  private static final List<String> WORKING =
      List.of(".in_progress", ".searching", ".interpreting", ".generating", ".partial_image", ".delta");

  private ResponsesProgress() {}

  /** Returns whether an event of {@code type} says the provider is at work on the answer. */
  static boolean working(String type) {
    for (String suffix : WORKING) {
      if (type.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
