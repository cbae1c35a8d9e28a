package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.openai.OpenAiProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream's end is settled once, and a broken one costs what the provider streamed, or nothing. */
class StreamEndingTest {
  private final List<Boolean> settled = new ArrayList<>();
  private final StreamEnding ending = new StreamEnding((whole, assembled) -> {
    settled.add(whole);
    return assembled.withCost(0.25);
  }, new StreamAssembly(1 << 20), new OpenAiProvider().decoder(0));

  @Test
  void aBrokenStreamIsChargedOnceCommittedOrOnceATokenArrived() {
    assertThat(StreamEnding.charged(false, false)).isFalse();
    assertThat(StreamEnding.charged(true, false)).isTrue();
    assertThat(StreamEnding.charged(false, true)).isTrue();
    assertThat(StreamEnding.charged(true, true)).isTrue();
  }

  @Test
  void anUnchargedBreakCostsNothingAndSettlesNothing() {
    ending.failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "broke"), false);

    assertThat(settled).isEmpty();
    assertThat(ending.cost().result()).isNull();
    assertThat(ending.end().failed()).isTrue();
  }

  @Test
  void aChargedBreakIsSettledAsIncomplete() {
    ending.failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "broke"), true);

    assertThat(settled).containsExactly(false);
    assertThat(ending.cost().result()).isEqualTo(0.25);
  }

  @Test
  void theFirstEndIsTheOnlyOne() {
    ending.completed();
    ending.failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "broke"), true);
    ending.completed();

    // Settled once; not as whole, since this stream reported no usage (so its output is counted).
    assertThat(settled).containsExactly(false);
    assertThat(ending.end().succeeded()).isTrue();
    assertThat(ending.cost().result()).isEqualTo(0.25);
  }

  @Test
  void aBrokenStreamIsRecordedAsBroken() {
    ending.failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "broke"), false);

    assertThat(ending.record(1 << 20).result()).isInstanceOf(StreamRecording.Broken.class);
  }
}
