package io.reliapi.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Responses events say the provider is at work on the answer (the OpenAI streaming reference's events). */
class ResponsesProgressTest {

  @Test
  void aHostedToolsStatusWhileItRunsTheResponsesProgressAndAPieceOfAHostedCallAreWork() {
    for (String type : new String[] {"response.in_progress", "response.web_search_call.in_progress",
        "response.web_search_call.searching", "response.file_search_call.in_progress",
        "response.file_search_call.searching", "response.code_interpreter_call.in_progress",
        "response.code_interpreter_call.interpreting", "response.code_interpreter_call_code.delta",
        "response.image_generation_call.in_progress", "response.image_generation_call.generating",
        "response.image_generation_call.partial_image", "response.mcp_call.in_progress",
        "response.mcp_call_arguments.delta", "response.mcp_list_tools.in_progress"}) {
      assertThat(ResponsesProgress.working(type)).as(type).isTrue();
    }
  }

  @Test
  void bookkeepingIsNot() {
    for (String type : new String[] {"response.created", "response.queued", "response.content_part.added",
        "response.output_text.done", "response.web_search_call.completed", "response.mcp_call.failed",
        "response.reasoning_summary_part.added", "response.output_item.added"}) {
      assertThat(ResponsesProgress.working(type)).as(type).isFalse();
    }
  }
}
