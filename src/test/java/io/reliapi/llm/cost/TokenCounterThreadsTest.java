package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where counting runs: on the event loop only when it is cheap and its vocabulary is already loaded. */
class TokenCounterThreadsTest {
  private final Vertx vertx = Vertx.vertx();
  private final TokenCounter counter = TokenCounter.shared();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs offTheEventLoop on an event loop; returns the name of the thread the count ran on. */
  private String countedOn(long bodyBytes, String model) throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    vertx.runOnContext(v -> counter.offTheEventLoop(bodyBytes, model, () -> {
      thread.complete(Thread.currentThread().getName());
      return 1;
    }));
    return thread.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSmallPromptOfALoadedVocabularyIsCountedOnTheEventLoop() throws Exception {
    counter.warmUp(List.of("gpt-4o-mini"));

    assertThat(countedOn(100, "gpt-4o-mini")).startsWith("vert.x-eventloop");
  }

  @Test
  void aLargePromptIsCountedOnAWorker() throws Exception {
    counter.warmUp(List.of("gpt-4o-mini"));

    assertThat(countedOn(TokenCounter.COUNT_ON_WORKER_BYTES, "gpt-4o-mini")).startsWith("vert.x-worker");
  }

  @Test
  void warmingUpLoadsTheVocabularyOfEachModelNamed() {
    counter.warmUp(List.of("claude-sonnet-4-5", "gpt-4o"));

    assertThat(counter.encodingName("claude-sonnet-4-5")).isEqualTo("cl100k_base");
    assertThat(counter.textTokens("gpt-4", "hello world")).isEqualTo(2);
    assertThat(counter.textTokens("gpt-4o", "hello world")).isEqualTo(2);
  }
}
