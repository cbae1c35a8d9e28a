package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import java.util.Locale;
import java.util.Map;

/**
 * Media parts of OpenAI's dialect as Gemini parts: a {@code data:} URL is {@code inlineData}, any other URL
 * {@code fileData} (its MIME type guessed from the extension), {@code input_audio} inline audio, a {@code file}
 * with {@code file_data} inline data. Any other part is passed as the client wrote it.
 */
final class GeminiMedia {
  private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
      "jpeg", "image/jpeg", "webp", "image/webp", "gif", "image/gif", "heic", "image/heic", "pdf", "application/pdf",
      "mp3", "audio/mp3", "wav", "audio/wav", "mp4", "video/mp4");

  private GeminiMedia() {}

  static ObjectNode part(String url) {
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      return inline(url.substring(5, comma - ";base64".length()), url.substring(comma + 1));
    }
    ObjectNode part = ChatJson.object();
    part.putObject("fileData").put("mimeType", guess(url)).put("fileUri", url);
    return part;
  }

  static JsonNode other(JsonNode raw) {
    String type = raw.path("type").asText("");
    return switch (type) {
      case "text" -> ChatJson.object().put("text", raw.path("text").asText(""));
      case "image_url" -> part(raw.path("image_url").path("url").asText(""));
      case "input_audio" -> inline("audio/" + raw.path("input_audio").path("format").asText("wav"),
          raw.path("input_audio").path("data").asText(""));
      case "file" -> raw.path("file").path("file_data").isTextual() ? part(raw.path("file").get("file_data").asText())
          : raw;
      default -> raw;
    };
  }

  private static ObjectNode inline(String mimeType, String data) {
    ObjectNode part = ChatJson.object();
    part.putObject("inlineData").put("mimeType", mimeType).put("data", data);
    return part;
  }

  private static String guess(String url) {
    String path = url.toLowerCase(Locale.ROOT);
    int cut = path.indexOf('?');
    path = cut < 0 ? path : path.substring(0, cut);
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "image/jpeg" : TYPES.getOrDefault(path.substring(dot + 1), "image/jpeg");
  }
}
