package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.pipeline.Cancellation;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.InMemoryIdempotencyStore;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StreamLeadsTest {
  private final StreamLeads leads = new StreamLeads();
  private final IdempotencyScope scope = new IdempotencyScope("alice", "openai", "k1");
  private final Cancellation client = new Cancellation();
  private final ManualClock clock = new ManualClock();
  private final IdempotencyStore store = new InMemoryIdempotencyStore(clock, ManualScheduler.manual(clock), 1 << 20);
  private final AtomicInteger asked = new AtomicInteger();
  /** The store's answer to "does anyone wait elsewhere", counted. */
  private Supplier<Future<Boolean>> elsewhere(Future<Boolean> answer) {
    return () -> {
      asked.incrementAndGet();
      return answer;
    };
  }

  /** Counts a request waiting on the scope's stream, as {@code waiter}; returns its handle. */
  private StreamLeads.Waiting waiting(String waiter) {
    return get(leads.waiting(scope, store, waiter, 30_000));
  }

  private StreamLeads.Lead openAloneHere() {
    return leads.open(scope, client, null, elsewhere(Future.succeededFuture(false)));
  }

  @Test
  void aStreamStopsOnlyWhenItsClientHasGoneAndNobodyWaitsHereOrElsewhere() {
    assertThat(StreamLeads.stops(true, 0, false)).isTrue();
    assertThat(StreamLeads.stops(true, 1, false)).isFalse();
    assertThat(StreamLeads.stops(true, 0, true)).isFalse();
    assertThat(StreamLeads.stops(false, 0, false)).isFalse();
  }

  @Test
  void aStreamNobodyWaitsForStopsWithItsClient() {
    StreamLeads.Lead lead = openAloneHere();
    client.cancel();
    assertThat(lead.cancellation().cancelled()).isTrue();
    assertThat(asked).as("the store was asked").hasValue(1);
  }

  @Test
  void aStreamWhoseClientHungUpStopsWhenItsLastWaiterLeaves() {
    StreamLeads.Lead lead = openAloneHere();
    StreamLeads.Waiting first = waiting("w1");
    StreamLeads.Waiting second = waiting("w2");
    client.cancel();
    assertThat(lead.cancellation().cancelled()).as("two duplicates wait for it").isFalse();
    assertThat(asked).as("not asked while duplicates wait here").hasValue(0);
    first.stop();
    first.stop();
    assertThat(lead.cancellation().cancelled()).as("one leaving twice is one leaving").isFalse();
    second.stop();
    assertThat(lead.cancellation().cancelled()).isTrue();
    assertThat(get(store.awaited(scope, ""))).as("their marks went with them").isFalse();
  }

  @Test
  void aStreamThatEndedIsNeverStoppedAndIsNoLongerWaitedOn() {
    StreamLeads.Lead lead = openAloneHere();
    StreamLeads.Waiting waiter = waiting("w1");
    lead.close();
    client.cancel();
    waiter.stop();
    assertThat(lead.cancellation().cancelled()).isFalse();
    StreamLeads.Waiting late = waiting("w2");
    assertThat(get(store.awaited(scope, ""))).as("a stream no longer led here is waited on in the store").isTrue();
    late.stop();
    assertThat(get(store.awaited(scope, ""))).isFalse();
  }

  @Test
  void aWaiterCountedOnALeadHereIsMarkedTooSoWhoeverLeadsTheKeyNextCountsItAtOnce() {
    StreamLeads.Lead first = openAloneHere();
    StreamLeads.Waiting waiter = waiting("w1");
    assertThat(get(store.awaited(scope, "leader"))).as("marked while counted here").isTrue();
    first.close();
    // The key is released and led again, here or on another instance, by a request whose client hangs up at once:
    // the waiter has not waited again yet, and is counted all the same.
    Cancellation nextClient = new Cancellation();
    StreamLeads.Lead next = leads.open(scope, nextClient, null, () -> store.awaited(scope, "leader"));
    nextClient.cancel();
    assertThat(next.cancellation().cancelled()).as("its waiter wants the stream").isFalse();
    waiter.stop();
    assertThat(get(store.awaited(scope, "leader"))).isFalse();
  }

  @Test
  void aStreamAwaitedElsewhereIsReadOnEvenOnceItsWaitersHereHaveLeft() {
    StreamLeads.Lead lead = leads.open(scope, client, null, elsewhere(Future.succeededFuture(true)));
    StreamLeads.Waiting here = waiting("w1");
    client.cancel();
    here.stop();
    assertThat(lead.cancellation().cancelled()).isFalse();
    assertThat(asked).hasValue(1);
  }

  @Test
  void aStoreThatCannotAnswerStopsTheStreamAsBefore() {
    StreamLeads.Lead lead = leads.open(scope, client, null,
        elsewhere(Future.failedFuture(new StoreUnavailableException("down"))));
    client.cancel();
    assertThat(lead.cancellation().cancelled()).isTrue();
  }

  @Test
  void theStreamReadsOnWhileTheStoreIsAskedAndADuplicateArrivingMeanwhileKeepsIt() {
    Promise<Boolean> answer = Promise.promise();
    StreamLeads.Lead lead = leads.open(scope, client, null, elsewhere(answer.future()));
    client.cancel();
    assertThat(lead.cancellation().cancelled()).as("not stopped before the answer").isFalse();
    StreamLeads.Waiting arrived = waiting("w1");
    answer.complete(false);
    assertThat(lead.cancellation().cancelled()).as("a duplicate waits here now").isFalse();
    arrived.stop();
    assertThat(lead.cancellation().cancelled()).isTrue();
    assertThat(asked).as("asked once").hasValue(1);
  }

  @Test
  void anAnswerAfterTheStreamEndedStopsNothing() {
    Promise<Boolean> answer = Promise.promise();
    StreamLeads.Lead lead = leads.open(scope, client, null, elsewhere(answer.future()));
    client.cancel();
    lead.close();
    answer.complete(false);
    assertThat(lead.cancellation().cancelled()).isFalse();
  }

  private static <T> T get(Future<T> future) {
    assertThat(future.isComplete()).isTrue();
    return future.result();
  }
}
