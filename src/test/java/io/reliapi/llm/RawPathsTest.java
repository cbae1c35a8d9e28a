package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig;
import io.reliapi.llm.RawPaths.Use;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawPathsTest {
  static LlmConfig llm(LlmConfig.Provider provider, String... rawPaths) {
    return new LlmConfig(provider, "m", 1024, Optional.empty(), Optional.empty(), 16, Optional.empty(), Map.of(),
        "2023-06-01", List.of(rawPaths));
  }

  @Test
  void aPostToTheProvidersChatEndpointIsAChatCallListedOrNot() {
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI), "POST", "/chat/completions")).isEqualTo(Use.CHAT);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.MISTRAL), "POST", "/chat/completions")).isEqualTo(Use.CHAT);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.ANTHROPIC), "POST", "/messages")).isEqualTo(Use.CHAT);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI, "/"), "POST", "/chat/completions")).isEqualTo(Use.CHAT);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.ANTHROPIC), "POST", "/chat/completions")).isEqualTo(Use.FORBIDDEN);
  }

  @Test
  void recognisesTheChatEndpointHoweverItsPathIsWritten() {
    LlmConfig openAi = llm(LlmConfig.Provider.OPENAI, "/chat");
    for (String path : List.of("/chat/completions/", "/chat//completions", "//chat/completions", "/CHAT/Completions",
        "/chat/%63ompletions", "/chat/%2563ompletions", "/chat/completions;jsessionid=1", "/chat;x/completions")) {
      assertThat(RawPaths.of(openAi, "POST", path)).as(path).isEqualTo(Use.CHAT);
    }
  }

  @Test
  void geminisBilledModelMethodsAreRefusedEvenUnderAListedPrefix() {
    LlmConfig gemini = llm(LlmConfig.Provider.GEMINI, "/models");
    for (String path : List.of("/models/gemini-2.5-flash:generateContent", "/models/g:streamGenerateContent",
        "/models/g:batchGenerateContent", "/models/g%3AgenerateContent", "/models/g:GENERATECONTENT/",
        "/models/text-embedding-004:embedContent", "/models/e:batchEmbedContents", "/models/imagen-3:predict",
        "/models/veo-2:predictLongRunning", "/tunedModels/t:generateContent")) {
      assertThat(RawPaths.of(gemini, "POST", path)).as(path).isEqualTo(Use.FORBIDDEN);
    }
    assertThat(RawPaths.of(gemini, "GET", "/models/gemini-2.5-flash")).isEqualTo(Use.LISTED);
    assertThat(RawPaths.of(gemini, "POST", "/models/g:countTokens")).isEqualTo(Use.LISTED);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI, "/"), "POST", "/models/g:generateContent"))
        .isEqualTo(Use.LISTED);
  }

  @Test
  void otherMethodsOnTheChatPathAreOrdinaryRawRequests() {
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI), "GET", "/chat/completions")).isEqualTo(Use.FORBIDDEN);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI, "/chat"), "GET", "/chat/completions")).isEqualTo(Use.LISTED);
  }

  @Test
  void aListedPrefixCoversWholeSegmentsOnly() {
    LlmConfig openAi = llm(LlmConfig.Provider.OPENAI, "/files", "/models");
    assertThat(RawPaths.of(openAi, "GET", "/files")).isEqualTo(Use.LISTED);
    assertThat(RawPaths.of(openAi, "POST", "/files/file-1/content")).isEqualTo(Use.LISTED);
    assertThat(RawPaths.of(openAi, "GET", "/models/")).isEqualTo(Use.LISTED);
    assertThat(RawPaths.of(openAi, "GET", "/filesx")).isEqualTo(Use.FORBIDDEN);
    assertThat(RawPaths.of(openAi, "GET", "/Files")).isEqualTo(Use.FORBIDDEN);
    assertThat(RawPaths.of(openAi, "POST", "/batches")).isEqualTo(Use.FORBIDDEN);
    assertThat(RawPaths.of(openAi, "GET", "")).isEqualTo(Use.FORBIDDEN);
    assertThat(RawPaths.of(llm(LlmConfig.Provider.OPENAI, "/"), "GET", "")).isEqualTo(Use.LISTED);
  }

  @Test
  void nothingButTheChatEndpointPassesByDefault() {
    LlmConfig closed = llm(LlmConfig.Provider.ANTHROPIC);
    for (String path : List.of("/messages/batches", "/messages/count_tokens", "/files", "/models", "/")) {
      assertThat(RawPaths.of(closed, "POST", path)).as(path).isEqualTo(Use.FORBIDDEN);
    }
  }

  @Test
  void comparesPathsInANormalForm() {
    assertThat(RawPaths.normal("")).isEqualTo("/");
    assertThat(RawPaths.normal("/a//b/")).isEqualTo("/a/b");
    assertThat(RawPaths.normal("/a;p=1/b%2Fc")).isEqualTo("/a/b/c");
  }
}
