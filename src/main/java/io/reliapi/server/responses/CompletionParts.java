package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.Completion;
import io.reliapi.llm.ProtocolItems;
import java.util.ArrayList;
import java.util.List;

/** A finished answer as the neutral parts a stream of it would have carried, to render it like one. */
final class CompletionParts {
  private CompletionParts() {}

  static List<ChatChunk.Part> of(Completion completion) {
    List<ChatChunk.Part> parts = new ArrayList<>();
    parts.add(new ChatChunk.Start());
    parts.addAll(ProtocolItems.interleave(completion.content(), completion.items()));
    if (completion.refusal() != null) {
      parts.add(new ChatChunk.Refusal(completion.refusal()));
    }
    completion.toolCalls().ifPresent(calls -> {
      int index = 0;
      for (JsonNode call : calls) {
        JsonNode function = call.path("function");
        parts.add(new ChatChunk.ToolCall(index, call.path("id").asText(null), function.path("name").asText(null)));
        parts.add(new ChatChunk.ToolArgs(index, function.path("arguments").asText("")));
        index++;
      }
    });
    parts.add(new ChatChunk.Finish(completion.finishReason()));
    return parts;
  }
}
