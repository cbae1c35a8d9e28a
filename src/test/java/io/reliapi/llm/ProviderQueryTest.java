package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderQueryTest {

  static LlmConfig llm(Map<String, String> query) {
    return new LlmConfig(LlmConfig.Provider.OPENAI, "m", 1024, Optional.empty(), Optional.empty(), 16,
        Optional.empty(), Map.of(), "", List.of(), Optional.empty(), query, LlmConfig.MaxTokensField.AS_SENT, false);
  }

  static String onto(String pathAndQuery, Map<String, String> query) {
    return ProviderQuery.onto(new HttpCall("POST", pathAndQuery, Headers.empty(), Body.EMPTY), llm(query))
        .pathAndQuery();
  }

  @Test
  void addsTheTargetsParametersPercentEncoded() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("api-version", "2024-10-21");
    query.put("tag", "a b&c=d/é");
    assertThat(onto("/chat/completions", query))
        .isEqualTo("/chat/completions?api-version=2024-10-21&tag=a%20b%26c%3Dd%2F%C3%A9");
    assertThat(onto("/models/m:streamGenerateContent?alt=sse", query))
        .isEqualTo("/models/m:streamGenerateContent?alt=sse&api-version=2024-10-21&tag=a%20b%26c%3Dd%2F%C3%A9");
  }

  @Test
  void keepsAParameterTheCallAlreadyCarries() {
    assertThat(onto("/chat/completions?api-version=2025-03-01-preview", Map.of("api-version", "2024-10-21")))
        .isEqualTo("/chat/completions?api-version=2025-03-01-preview");
    assertThat(onto("/chat/completions?", Map.of("api-version", "2024-10-21")))
        .isEqualTo("/chat/completions?api-version=2024-10-21");
  }

  @Test
  void leavesTheCallAsItIsWithoutParameters() {
    assertThat(onto("/chat/completions?x=1", Map.of())).isEqualTo("/chat/completions?x=1");
  }
}
