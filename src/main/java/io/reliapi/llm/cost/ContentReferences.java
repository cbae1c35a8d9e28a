package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import java.util.Set;

/**
 * Finds content by reference in a chat request: a file the provider has stored or fetches, which it bills by what
 * the file holds while the request carries only its name (docs/guides/budget-control.md, "Content by reference").
 * The token counter sees a few tokens of JSON there, so the cost estimate bounds such a request otherwise. A
 * reference is, wherever the request carries structured JSON (a content part the gateway does not interpret, a
 * message's other members, the options and {@code extra}, at any depth):
 *
 * <ul>
 *   <li>an OpenAI chat {@code file} part with {@code file.file_id} (a Responses {@code input_file} by id is read
 *       into one), or a Responses {@code input_file} with {@code file_id} or {@code file_url};</li>
 *   <li>an Anthropic {@code document} whose {@code source.type} is {@code url} or {@code file};</li>
 *   <li>a Gemini {@code fileData} ({@code file_data}) part with a {@code fileUri} ({@code file_uri}), or a
 *       {@code cachedContent} ({@code cached_content}) name;</li>
 *   <li>a Mistral {@code document_url} part, or a Mistral {@code file} chunk ({@code file_id} beside its type).</li>
 * </ul>
 *
 * Images by URL or file are not references here: they are bounded as images ({@link ImageTokens}).
 */
public final class ContentReferences {
  private static final Set<String> DOCUMENT_SOURCES = Set.of("url", "file");
  private static final Set<String> CACHE_NAMES = Set.of("cachedContent", "cached_content");

  private ContentReferences() {}

  /** Returns how many pieces of content by reference {@code request} carries. */
  public static int count(ChatRequest request) {
    int found = 0;
    for (ChatMessage message : request.messages()) {
      if (message.content().orElse(null) instanceof Content.Parts parts) {
        for (ContentPart part : parts.parts()) {
          found += part instanceof ContentPart.Other other ? in(other.raw()) : 0;
        }
      }
      found += in(message.fields());
    }
    return found + in(request.options()) + in(request.extra());
  }

  /** Returns how many references {@code node} is or holds, at any depth. */
  static int in(JsonNode node) {
    if (node == null || !node.isContainerNode()) {
      return 0;
    }
    if (node.isObject() && isReference(node)) {
      return 1;
    }
    int found = 0;
    for (JsonNode child : node) {
      found += in(child);
    }
    if (node.isObject()) {
      for (String name : CACHE_NAMES) {
        found += node.path(name).isTextual() ? 1 : 0;
      }
    }
    return found;
  }

  /** Returns whether the object {@code node} is itself one piece of content by reference. */
  static boolean isReference(JsonNode node) {
    return switch (node.path("type").asText("")) {
      case "file" -> node.path("file").path("file_id").isTextual() || node.path("file_id").isTextual();
      case "input_file" -> node.path("file_id").isTextual() || node.path("file_url").isTextual();
      case "document" -> DOCUMENT_SOURCES.contains(node.path("source").path("type").asText(""));
      case "document_url" -> true;
      default -> geminiFile(node.path("fileData")) || geminiFile(node.path("file_data"));
    };
  }

  private static boolean geminiFile(JsonNode data) {
    return data.isObject() && (data.path("fileUri").isTextual() || data.path("file_uri").isTextual());
  }
}
