package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ContentPart;
import io.reliapi.server.Fields;
import io.reliapi.server.llm.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one content block of a Messages request into an OpenAI-dialect content part: text as text (its
 * {@code cache_control} and citations dropped), an image by {@code base64} or {@code url} source as an
 * {@code image_url} (a {@code data:} URL for base64), a PDF document in base64 as a {@code file} part, a plain-text
 * or content document as its text. Any other block (a file reference, a search result, a server tool's block, a
 * kind added later) is kept as it is for counting and noted as untranslatable.
 */
final class ContentBlocks {
  private final Untranslatable untranslatable;

  ContentBlocks(Untranslatable untranslatable) {
    this.untranslatable = untranslatable;
  }

  /** Reads a block of a user turn (or of a tool result); empty for a block that adds nothing. */
  Optional<ContentPart> userPart(JsonNode block, String where) {
    return switch (block.path("type").asText()) {
      case "text" -> Optional.of(text(block, where));
      case "image" -> Optional.of(image(block, where));
      case "document" -> Optional.of(document(block, where));
      default -> Optional.of(other(block, where));
    };
  }

  /** Reads a block of an assistant turn other than tool use and thinking. */
  Optional<ContentPart> assistantPart(JsonNode block, String where) {
    if (block.path("type").asText().equals("text")) {
      ContentPart.Text text = text(block, where);
      return text.text().isEmpty() ? Optional.empty() : Optional.of(text);
    }
    return Optional.of(other(block, where));
  }

  private static ContentPart.Text text(JsonNode block, String where) {
    if (!block.path("text").isTextual()) {
      throw Fields.invalid("'" + where + ".text' must be a string.");
    }
    return new ContentPart.Text(block.get("text").asText());
  }

  private ContentPart image(JsonNode block, String where) {
    JsonNode source = block.path("source");
    switch (source.path("type").asText()) {
      case "base64" -> {
        if (!source.path("media_type").isTextual() || !source.path("data").isTextual()) {
          throw Fields.invalid("'" + where + ".source' needs a string 'media_type' and 'data'.");
        }
        return new ContentPart.Image("data:" + source.get("media_type").asText() + ";base64,"
            + source.get("data").asText(), Optional.empty());
      }
      case "url" -> {
        if (!source.path("url").isTextual()) {
          throw Fields.invalid("'" + where + ".source.url' must be a string.");
        }
        return new ContentPart.Image(source.get("url").asText(), Optional.empty());
      }
      default -> {
        return other(block, where);
      }
    }
  }

  private ContentPart document(JsonNode block, String where) {
    JsonNode source = block.path("source");
    String type = source.path("type").asText();
    if (type.equals("base64") && source.path("media_type").asText().equals("application/pdf")
        && source.path("data").isTextual()) {
      ObjectNode part = ChatJson.object().put("type", "file");
      part.putObject("file").put("filename", block.path("title").asText("document.pdf"))
          .put("file_data", "data:application/pdf;base64," + source.get("data").asText());
      return new ContentPart.Other(part);
    }
    if (type.equals("text") && source.path("data").isTextual()) {
      return new ContentPart.Text(source.get("data").asText());
    }
    if (type.equals("content") && source.path("content").isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode inner : source.get("content")) {
        if (!inner.path("type").asText().equals("text")) {
          return other(block, where);
        }
        texts.add(inner.path("text").asText(""));
      }
      return new ContentPart.Text(String.join("\n", texts));
    }
    return other(block, where);
  }

  private ContentPart other(JsonNode block, String where) {
    String type = block.path("type").asText();
    JsonNode source = block.path("source").path("type");
    String from = source.isTextual() ? " from a " + source.asText() + " source" : "";
    untranslatable.note("'" + where + "' (" + type + from + ")");
    return new ContentPart.Other(block.deepCopy());
  }
}
