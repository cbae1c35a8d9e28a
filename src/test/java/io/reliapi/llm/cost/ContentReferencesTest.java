package io.reliapi.llm.cost;

import static io.reliapi.llm.ChatFixtures.json;
import static io.reliapi.llm.ChatFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.NativeRequests;
import io.reliapi.llm.WireProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which parts of a chat request are content by reference, whose size the request does not show. */
class ContentReferencesTest {

  static int inMessage(String part) {
    return ContentReferences.count(request("gpt-4o-mini",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Summarize.\"}, " + part + "]}]", 10,
        false, "{}", "{}"));
  }

  @Test
  void anOpenAiFilePartByFileIdIsAReference() {
    assertThat(inMessage("{\"type\": \"file\", \"file\": {\"file_id\": \"file-abc\"}}")).isEqualTo(1);
  }

  @Test
  void anOpenAiFilePartWithItsDataInlineIsNotAReference() {
    assertThat(inMessage("{\"type\": \"file\", \"file\": {\"filename\": \"a.pdf\", "
        + "\"file_data\": \"data:application/pdf;base64,JVBERi0=\"}}")).isZero();
  }

  @Test
  void aResponsesInputFileByIdOrUrlIsAReference() {
    assertThat(inMessage("{\"type\": \"input_file\", \"file_id\": \"file-abc\"}")).isEqualTo(1);
    assertThat(inMessage("{\"type\": \"input_file\", \"file_url\": \"https://example.com/a.pdf\"}")).isEqualTo(1);
    assertThat(inMessage("{\"type\": \"input_file\", \"file_data\": \"JVBERi0=\"}")).isZero();
  }

  @Test
  void anAnthropicDocumentByUrlOrFileIsAReferenceButNotOneWrittenOut() {
    assertThat(inMessage("{\"type\": \"document\", \"source\": {\"type\": \"url\", \"url\": \"https://x/a.pdf\"}}"))
        .isEqualTo(1);
    assertThat(inMessage("{\"type\": \"document\", \"source\": {\"type\": \"file\", \"file_id\": \"file_01\"}}"))
        .isEqualTo(1);
    assertThat(inMessage("{\"type\": \"document\", \"source\": {\"type\": \"text\", \"media_type\": \"text/plain\", "
        + "\"data\": \"Hello\"}}")).isZero();
  }

  @Test
  void aGeminiFileDataPartAndAMistralDocumentUrlAreReferences() {
    assertThat(ContentReferences.in(json("{\"fileData\": {\"mimeType\": \"application/pdf\", "
        + "\"fileUri\": \"gs://b/a.pdf\"}}"))).isEqualTo(1);
    assertThat(ContentReferences.in(json("{\"file_data\": {\"file_uri\": \"https://x/files/x\"}}"))).isEqualTo(1);
    assertThat(inMessage("{\"type\": \"document_url\", \"document_url\": \"https://x/a.pdf\"}")).isEqualTo(1);
  }

  @Test
  void imagesByUrlAreNotReferencesSinceTheyAreBoundedAsImages() {
    assertThat(inMessage("{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/cat.png\"}}")).isZero();
    assertThat(inMessage("{\"type\": \"image\", \"source\": {\"type\": \"url\", \"url\": \"https://x/cat.png\"}}"))
        .isZero();
  }

  @Test
  void aGeminiCachedContentOrFileInExtraIsAReference() {
    assertThat(ContentReferences.count(request("gemini-2.5-flash", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10,
        false, "{}", "{\"cachedContent\": \"cachedContents/abc\"}"))).isEqualTo(1);
    assertThat(ContentReferences.count(request("gemini-2.5-flash", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10,
        false, "{}", "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"fileData\": {\"fileUri\": \"gs://b/a\"}}, "
            + "{\"fileData\": {\"fileUri\": \"gs://b/b\"}}]}]}"))).isEqualTo(2);
  }

  @Test
  void aDocumentNestedInAnAnthropicToolResultOnARawRouteIsFound() {
    ObjectNode body = (ObjectNode) json("""
        {"model": "claude-haiku-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": [
          {"type": "tool_result", "tool_use_id": "t1", "content": [
            {"type": "document", "source": {"type": "url", "url": "https://x/a.pdf"}},
            {"type": "document", "source": {"type": "file", "file_id": "file_02"}}]}]}]}""");

    assertThat(ContentReferences.count(NativeRequests.read(body, List.of("max_tokens"),
        WireProtocol.ANTHROPIC_MESSAGES))).isEqualTo(2);
  }

  @Test
  void aToolSchemaWithPropertiesNamedLikeReferencesIsNotOne() {
    String tools = """
        {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {
          "fileData": {"type": "object", "properties": {"fileUri": {"type": "string"}}},
          "file": {"type": "object", "properties": {"file_id": {"type": "string"}}},
          "source": {"type": "string"}}}}}]}""";

    assertThat(ContentReferences.count(request("gpt-4o-mini", "[{\"role\": \"user\", \"content\": \"Hi\"}]", 10,
        false, tools, "{}"))).isZero();
  }

  @Test
  void countsEachReferenceOnce() {
    assertThat(inMessage("{\"type\": \"file\", \"file\": {\"file_id\": \"a\"}}, "
        + "{\"type\": \"file\", \"file\": {\"file_id\": \"b\"}}, {\"type\": \"document_url\", \"document_url\": \"u\"}"))
        .isEqualTo(3);
  }
}
