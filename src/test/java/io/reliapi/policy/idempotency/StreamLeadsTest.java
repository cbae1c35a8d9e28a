package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.pipeline.Cancellation;
import io.reliapi.store.IdempotencyScope;
import org.junit.jupiter.api.Test;

class StreamLeadsTest {
  private final StreamLeads leads = new StreamLeads();
  private final IdempotencyScope scope = new IdempotencyScope("alice", "openai", "k1");
  private final Cancellation client = new Cancellation();

  @Test
  void aStreamStopsOnlyWhenItsClientHasGoneAndNobodyWaits() {
    assertThat(StreamLeads.stops(true, 0)).isTrue();
    assertThat(StreamLeads.stops(true, 1)).isFalse();
    assertThat(StreamLeads.stops(false, 0)).isFalse();
  }

  @Test
  void aStreamNobodyWaitsForStopsWithItsClient() {
    StreamLeads.Lead lead = leads.open(scope, client, null);
    client.cancel();
    assertThat(lead.cancellation().cancelled()).isTrue();
  }

  @Test
  void aStreamWhoseClientHungUpStopsWhenItsLastWaiterLeaves() {
    StreamLeads.Lead lead = leads.open(scope, client, null);
    Runnable first = leads.waiting(scope);
    Runnable second = leads.waiting(scope);
    client.cancel();
    assertThat(lead.cancellation().cancelled()).as("two duplicates wait for it").isFalse();
    first.run();
    first.run();
    assertThat(lead.cancellation().cancelled()).as("one leaving twice is one leaving").isFalse();
    second.run();
    assertThat(lead.cancellation().cancelled()).isTrue();
  }

  @Test
  void aStreamThatEndedIsNeverStoppedAndIsNoLongerWaitedOn() {
    StreamLeads.Lead lead = leads.open(scope, client, null);
    Runnable waiter = leads.waiting(scope);
    lead.close();
    client.cancel();
    waiter.run();
    assertThat(lead.cancellation().cancelled()).isFalse();
    Runnable late = leads.waiting(scope);
    late.run();
    assertThat(lead.cancellation().cancelled()).isFalse();
  }
}
