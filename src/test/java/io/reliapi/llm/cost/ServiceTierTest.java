package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.ToolFeesTest.chat;
import static io.reliapi.llm.cost.ToolFeesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.llm.ChatJson;
import io.reliapi.llm.NativeBody;
import io.reliapi.llm.WireProtocol;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a request asks for OpenAI's priority tier, which the price table cannot price. */
class ServiceTierTest {

  @Test
  void thePriorityTierIsFoundInTheOptionsTheWrittenBodyOrExtra() {
    var options = chat("gpt-5", json("{\"service_tier\": \"priority\"}"), ChatJson.object(), Optional.empty());
    var written = chat("gpt-5", ChatJson.object(), ChatJson.object(), Optional.of(new NativeBody(
        WireProtocol.OPENAI_RESPONSES, json("{\"input\": \"hi\", \"service_tier\": \"priority\"}"), false)));
    var extra = chat("gpt-5", ChatJson.object(), json("{\"service_tier\": \"priority\"}"), Optional.empty());

    assertThat(ServiceTier.priorityField(options)).contains("service_tier");
    assertThat(ServiceTier.priorityField(written)).contains("service_tier");
    assertThat(ServiceTier.priorityField(extra)).contains("extra.service_tier");
  }

  /** Flex bills below the standard price and the others at it: the table's price bounds them. */
  @Test
  void otherTiersAndNoTierAskForNothingThePriceTableCannotBound() {
    for (String tier : new String[] {"\"flex\"", "\"default\"", "\"auto\"", "null", "1", "{\"x\": \"priority\"}"}) {
      var request = chat("gpt-5", json("{\"service_tier\": " + tier + "}"), ChatJson.object(), Optional.empty());
      assertThat(ServiceTier.priorityField(request)).as(tier).isEmpty();
    }
    assertThat(ServiceTier.priorityField(chat("gpt-5", ChatJson.object(), ChatJson.object(), Optional.empty())))
        .isEmpty();
  }
}
