package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeldBytesTest {
  @Test
  void takesChunksWhileTheyFitAndRefusesTheOneThatDoesNot() {
    ByteBudget budget = new ByteBudget(100);
    HeldBytes request = new HeldBytes(budget);
    assertThat(request.take(60)).isTrue();
    assertThat(request.take(40)).isTrue();
    assertThat(request.take(1)).isFalse();
    assertThat(budget.inUse()).isEqualTo(100);
    assertThat(request.held()).isEqualTo(100);
  }

  @Test
  void givesBackEverythingItTookWhenTheRequestEnds() {
    ByteBudget budget = new ByteBudget(100);
    HeldBytes first = new HeldBytes(budget);
    HeldBytes second = new HeldBytes(budget);
    first.take(70);
    assertThat(second.take(40)).isFalse();
    first.release();
    assertThat(budget.inUse()).isZero();
    assertThat(second.take(40)).isTrue();
    assertThat(budget.inUse()).isEqualTo(40);
  }

  @Test
  void countsARequestShedOnceHoweverManyOfItsBuffersAreRefused() {
    ByteBudget budget = new ByteBudget(10);
    HeldBytes request = new HeldBytes(budget);
    assertThat(request.take(20)).isFalse();
    request.shedBody();
    request.shedAnswer();
    HeldBytes other = new HeldBytes(budget);
    other.shedAnswer();
    assertThat(budget.shed()).isEqualTo(2);
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void aRefusedChunkIsNoShedRequestUntilTheRequestIsShed() {
    ByteBudget budget = new ByteBudget(10);
    HeldBytes request = new HeldBytes(budget);
    assertThat(request.take(20)).as("a copy kept on the side gives up; the request goes on").isFalse();
    assertThat(budget.shed()).isZero();
  }

  @Test
  void aBufferEmptiedBeforeTheRequestEndsGivesBackWhatItTookAndNoMore() {
    ByteBudget budget = new ByteBudget(100);
    HeldBytes request = new HeldBytes(budget);
    request.take(30);
    request.take(50);
    request.freed(50);
    assertThat(request.held()).isEqualTo(30);
    assertThat(budget.inUse()).isEqualTo(30);
    request.freed(1000);
    assertThat(budget.inUse()).as("never more than the request holds").isZero();
    request.take(20);
    request.release();
    request.freed(20);
    assertThat(budget.inUse()).as("given back once, by the release").isZero();
  }

  @Test
  void refusesChunksAfterTheRequestEndedSoALateChunkCannotLeak() {
    ByteBudget budget = new ByteBudget(100);
    HeldBytes request = new HeldBytes(budget);
    request.take(10);
    request.release();
    assertThat(request.take(10)).isFalse();
    request.release();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void anUntrackedShareNeverRefusesAndTakesNothing() {
    assertThat(HeldBytes.untracked().take(Integer.MAX_VALUE)).isTrue();
    HeldBytes.untracked().release();
    assertThat(HeldBytes.untracked().held()).isZero();
  }

  @Test
  void theRefusalIsA503OverloadedWithRetryAfterThatBlamesNoTarget() {
    HeldBytes request = new HeldBytes(new ByteBudget(10));
    var body = request.shedBody();
    assertThat(body.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(body.status()).isEqualTo(503);
    assertThat(body.retryAfterS()).isEqualTo(1);
    assertThat(body.targetBlameless()).isTrue();
    assertThat(body.sentUpstream()).isFalse();
    var answer = request.shedAnswer();
    assertThat(answer.code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(answer.targetBlameless()).isTrue();
    assertThat(answer.sentUpstream()).isTrue();
  }

  @Test
  void concurrentTakersNeverHoldMoreThanTheBudgetAndGiveItAllBack() throws Exception {
    ByteBudget budget = new ByteBudget(1_000_000);
    AtomicLong granted = new AtomicLong();
    AtomicLong overshoot = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int round = 0; round < 200; round++) {
          HeldBytes request = new HeldBytes(budget);
          while (request.take(997)) {
            if (granted.addAndGet(997) > budget.capacity()) {
              overshoot.incrementAndGet();
            }
          }
          granted.addAndGet(-request.held());
          request.shedBody();
          request.release();
        }
      }));
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(budget.inUse()).isZero();
    assertThat(budget.shed()).isEqualTo(8 * 200);
    assertThat(overshoot.get()).as("bytes granted at once never exceed the budget").isZero();
  }
}
