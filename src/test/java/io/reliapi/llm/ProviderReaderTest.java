package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.GatewayException;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.testing.HandStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a {@link ProviderReader} holds, counts and lets go of the provider's event it is reading. */
class ProviderReaderTest {
  private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";

  private final HandStream source = new HandStream();
  private final ChatFixtures.Recorded recorded = new ChatFixtures.Recorded();
  private final List<GatewayException> failures = new ArrayList<>();

  private ProviderReader reader(long maxResponseBytes, HeldBytes held) {
    ProviderReader reader = new ProviderReader(new ProviderFlow(source, () -> { }), new OpenAiProvider().decoder(0),
        recorded, () -> false, failures::add, bytes -> { }, maxResponseBytes);
    reader.bufferedIn(held);
    reader.start(false);
    return reader;
  }

  @Test
  void letsGoOfThePartialEventItselfNotOnlyItsCountWhenTheProvidersCallIsOver() {
    ByteBudget budget = new ByteBudget(1 << 20);
    ProviderReader reader = reader(1 << 20, new HeldBytes(budget));
    String event = CHUNK.formatted("x".repeat(1000));
    source.emit(event.substring(0, 600));
    assertThat(budget.inUse()).as("its line buffer, grown to 1 KiB").isEqualTo(1024);

    reader.letGo();
    source.emit(CHUNK.formatted("fresh"));

    assertThat(budget.inUse()).isZero();
    assertThat(failures).as("the old partial line is gone: the next event reads alone").isEmpty();
    assertThat(recorded.text()).isEqualTo("fresh");
  }

  @Test
  void anEventMayBeAsLargeAsAnAnswerButNeverLimitedBelowOneMebibyte() {
    reader(256 * 1024, HeldBytes.untracked());
    source.emit(CHUNK.formatted("y".repeat(700 * 1024)));

    assertThat(failures).isEmpty();
    assertThat(recorded.text()).hasSize(700 * 1024);
    assertThat(ProviderReader.eventLimit(256 * 1024)).isEqualTo(1 << 20);
    assertThat(ProviderReader.eventLimit(8L << 20)).isEqualTo(8 << 20);
  }
}
