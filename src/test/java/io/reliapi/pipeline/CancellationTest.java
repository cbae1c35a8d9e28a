package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationTest {

  @Test
  void aChildFiresWithItsParent() {
    Cancellation request = new Cancellation();
    Cancellation attempt = request.child();
    List<String> fired = new ArrayList<>();
    attempt.onCancel(() -> fired.add("attempt"));
    request.cancel();
    assertThat(attempt.cancelled()).isTrue();
    assertThat(fired).containsExactly("attempt");
  }

  @Test
  void aChildFiresAloneWithoutCancellingItsParentOrItsSibling() {
    Cancellation request = new Cancellation();
    Cancellation primary = request.child();
    Cancellation hedge = request.child();
    hedge.cancel();
    assertThat(hedge.cancelled()).isTrue();
    assertThat(primary.cancelled()).isFalse();
    assertThat(request.cancelled()).isFalse();
    request.cancel();
    assertThat(primary.cancelled()).isTrue();
  }
}
