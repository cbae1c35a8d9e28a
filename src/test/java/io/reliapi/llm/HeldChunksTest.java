package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks reach the stream's reader in order, at once while it takes them and held while it cannot. */
class HeldChunksTest {
  private final HeldChunks held = new HeldChunks();
  private final List<String> read = new ArrayList<>();

  private static ChatChunk text(String text) {
    return new ChatChunk("c", "m", 1, List.of(new ChatChunk.Text(text)), null, false, false, null);
  }

  @Test
  void chunksBeforeTheReaderAreHeldAndDeliveredFirstInOrder() {
    held.add(text("a"));
    held.add(text("b"));
    assertThat(held.drain()).as("nobody has read them").isFalse();

    held.reader(chunk -> read.add(chunk.text()));
    assertThat(held.drain()).isTrue();
    held.add(text("c"));

    assertThat(read).containsExactly("a", "b", "c");
  }

  @Test
  void aPausedReaderGetsNothingUntilItResumes() {
    held.reader(chunk -> read.add(chunk.text()));
    held.paused(true);
    held.add(text("a"));
    assertThat(held.drain()).isFalse();
    assertThat(read).isEmpty();

    held.paused(false);
    assertThat(held.drain()).isTrue();
    assertThat(read).containsExactly("a");
  }

  @Test
  void aReaderPausingMidwayKeepsTheRestHeldBehindWhatItGot() {
    held.reader(chunk -> {
      read.add(chunk.text());
      held.paused(true);
    });
    held.paused(true);
    held.add(text("a"));
    held.add(text("b"));
    held.paused(false);
    held.drain();
    held.add(text("c"));

    assertThat(read).containsExactly("a");
    held.paused(false);
    held.drain();
    held.paused(false);
    held.drain();
    assertThat(read).containsExactly("a", "b", "c");
  }

  @Test
  void clearedChunksNeverReachTheReader() {
    held.add(text("a"));
    held.clear();
    held.reader(chunk -> read.add(chunk.text()));

    assertThat(held.drain()).isTrue();
    assertThat(read).isEmpty();
  }
}
