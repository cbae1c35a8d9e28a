package io.reliapi.llm.embeddings;

import static io.reliapi.llm.ChatFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingListTest {

  static Embeddings read(String json) {
    return EmbeddingList.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void putsVectorsInIndexOrderAndReadsBase64AndNumbersAlike() {
    String one = EmbeddingList.base64(new float[] {0.5f, -2.25f});
    Embeddings answer = read("{\"data\": [{\"index\": 1, \"embedding\": \"" + one + "\"},"
        + " {\"index\": 0, \"embedding\": [1, 0.1]}], \"model\": \"m\", \"usage\": {\"total_tokens\": 4}}");

    assertThat(answer.vectors().get(0)).containsExactly(1f, 0.1f);
    assertThat(answer.vectors().get(1)).containsExactly(0.5f, -2.25f);
    assertThat(answer.usage()).isEqualTo(Usage.reported(4, 0));
    assertThat(read("{\"data\": []}").usage()).isNull();
  }

  @Test
  void writesBase64AsLittleEndianFloat32() {
    // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F
    assertThat(EmbeddingList.base64(new float[] {1.0f})).isEqualTo("AACAPw==");
    Embeddings answer = new Embeddings("m", List.of(new float[] {1.0f, 0.25f}), Usage.reported(3, 0), null);
    assertThat(EmbeddingList.write(answer, EncodingFormat.FLOAT).toString()).isEqualTo("{\"object\":\"list\","
        + "\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,0.25]}],\"model\":\"m\","
        + "\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}");
    assertThat(EmbeddingList.write(answer, EncodingFormat.BASE64).toString()).contains("\"embedding\":\"AACAPwAAgD4=\"");
  }

  @Test
  void refusesWhatIsNotAnEmbeddingList() {
    for (String bad : List.of("{}", "{\"data\": [{\"index\": 0, \"embedding\": [1]}, {\"index\": 0, \"embedding\": [2]}]}",
        "{\"data\": [{\"index\": 1, \"embedding\": [1]}]}", "{\"data\": [{\"index\": 0, \"embedding\": [1e39]}]}",
        "{\"data\": [{\"index\": 0, \"embedding\": \"AAA\"}]}", "{\"data\": [{\"index\": 0, \"embedding\": [\"x\"]}]}")) {
      assertThat(failure(() -> read(bad)).code()).as(bad).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    }
  }
}
