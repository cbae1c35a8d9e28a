package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.HostedCallTokensTest.written;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bound on what the reasoning items sent back in a Responses API body can be billed as. */
class ReasoningItemsTest {
  @Test
  void aReasoningItemIsBoundedByItsEncryptedContentsLengthAndItsOtherMembersBytes() {
    String encrypted = "gAAAAABpRk1" + "x".repeat(40_000);
    String rest = "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Édition\"}]}";
    String item = rest.substring(0, rest.length() - 1) + ",\"encrypted_content\":\"" + encrypted + "\"}";

    long bound = ReasoningItems.boundTokens(written("[{\"role\": \"user\", \"content\": \"Hi\"}, " + item + ", "
        + item + "]"));

    assertThat(bound).isEqualTo(2L * (encrypted.length() + rest.getBytes(StandardCharsets.UTF_8).length));
  }

  /** The other members are sized as their compact JSON, escapes included, wherever the encrypted content sits. */
  @Test
  void theOtherMembersAreSizedAsTheirJsonWithItsEscapes() {
    String encrypted = "gAAAAABpRk1" + "y".repeat(1_000);
    String rest = "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"a \\\"b\\\"\\n€\"}],"
        + "\"n\":1.5,\"x\":null}";
    String item = "{\"encrypted_content\":\"" + encrypted + "\"," + rest.substring(1);

    long bound = ReasoningItems.boundTokens(written("[" + item + "]"));

    assertThat(bound).isEqualTo(encrypted.length() + rest.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aBodyWithoutReasoningItemsHasNoneToBound() {
    assertThat(ReasoningItems.boundTokens(written("[{\"role\": \"user\", \"content\": \"Hi\"}, {\"type\": "
        + "\"function_call\", \"call_id\": \"c\", \"name\": \"f\", \"arguments\": \"{}\"}]"))).isZero();
    assertThat(ReasoningItems.boundTokens(written("\"Hi\""))).isZero();
  }

  /** A reasoning item without encrypted content (its summary alone) is bounded by its JSON's bytes. */
  @Test
  void aReasoningItemWithoutEncryptedContentIsBoundedByItsBytes() {
    String item = "{\"type\":\"reasoning\",\"summary\":[]}";
    assertThat(ReasoningItems.boundTokens(written("[" + item + "]"))).isEqualTo(item.length());
  }
}
