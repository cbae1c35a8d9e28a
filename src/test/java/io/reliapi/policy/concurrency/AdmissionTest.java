package io.reliapi.policy.concurrency;

import static io.reliapi.config.ClientConfig.Priority.BATCH;
import static io.reliapi.config.ClientConfig.Priority.INTERACTIVE;
import static io.reliapi.policy.concurrency.Admission.Decision.ADMIT;
import static io.reliapi.policy.concurrency.Admission.Decision.QUEUE;
import static io.reliapi.policy.concurrency.Admission.Decision.QUEUE_DISPLACING_BATCH;
import static io.reliapi.policy.concurrency.Admission.Decision.SHED;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ClientConfig.Priority;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  /** A limit of 10 with a reserve of 2, a queue of 10, time to wait. */
  private static Admission.Decision decide(Priority priority, int inFlight, int waitingInteractive, int waitingBatch) {
    return Admission.decide(priority, inFlight, 10, 2, waitingInteractive, waitingBatch, 10, true);
  }

  @Test
  void theReserveHoldsTheRecentInteractiveDemandPlusOneAtMostAllPlacesButOne() {
    assertThat(Admission.reserve(20, 0)).isEqualTo(1);
    assertThat(Admission.reserve(20, 5)).isEqualTo(6);
    assertThat(Admission.reserve(20, 25)).isEqualTo(19);
    assertThat(Admission.reserve(1, 0)).isZero();
  }

  @Test
  void batchAttemptsLeaveTheReserveFreeInteractiveOnesMayTakeEveryPlace() {
    assertThat(decide(BATCH, 7, 0, 0)).isEqualTo(ADMIT);
    assertThat(decide(BATCH, 8, 0, 0)).isEqualTo(QUEUE);
    assertThat(decide(INTERACTIVE, 9, 0, 0)).isEqualTo(ADMIT);
    assertThat(decide(INTERACTIVE, 10, 0, 0)).isEqualTo(QUEUE);
  }

  @Test
  void noOneOvertakesThoseWaitingAheadOfIt() {
    assertThat(decide(BATCH, 3, 0, 1)).isEqualTo(QUEUE);
    assertThat(decide(BATCH, 3, 1, 0)).isEqualTo(QUEUE);
    assertThat(decide(INTERACTIVE, 3, 1, 0)).isEqualTo(QUEUE);
  }

  @Test
  void interactiveAttemptsPassWaitingBatchOnes() {
    assertThat(decide(INTERACTIVE, 8, 0, 5)).isEqualTo(ADMIT);
  }

  @Test
  void overTheLimitAttemptsWaitWhileTheQueueHasRoom() {
    assertThat(decide(BATCH, 10, 2, 7)).isEqualTo(QUEUE);
    assertThat(decide(BATCH, 10, 3, 7)).isEqualTo(SHED);
  }

  @Test
  void aFullQueueGivesAnInteractiveAttemptTheLastBatchPlace() {
    assertThat(decide(INTERACTIVE, 10, 3, 7)).isEqualTo(QUEUE_DISPLACING_BATCH);
    assertThat(decide(INTERACTIVE, 10, 10, 0)).isEqualTo(SHED);
  }

  @Test
  void withoutTimeToWaitOrWithoutQueueOverTheLimitIsShed() {
    assertThat(Admission.decide(INTERACTIVE, 10, 10, 2, 0, 0, 10, false)).isEqualTo(SHED);
    assertThat(Admission.decide(INTERACTIVE, 10, 10, 2, 0, 0, 0, true)).isEqualTo(SHED);
    assertThat(Admission.decide(INTERACTIVE, 9, 10, 2, 0, 0, 0, false)).isEqualTo(ADMIT);
  }
}
