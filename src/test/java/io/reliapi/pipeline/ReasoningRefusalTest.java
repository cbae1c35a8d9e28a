package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The refusals of a request's reasoning items, known by their replies. */
class ReasoningRefusalTest {
  static RequestContext context(Route route) {
    return new RequestContext("req_1", route, Caller.anonymous(), "t", 0, Long.MAX_VALUE, Optional.empty(),
        Optional.empty(), CacheDirective.normal(), false, new Trace("t"), new Cancellation());
  }

  @Test
  void onlyTheFirstRefusalIsOwedTheResendAndOnlyForItsOwnReply() {
    ReasoningRefusal items = context(Route.RESPONSES).reasoning();
    Reply first = new Reply(400, Headers.empty(), Body.EMPTY);
    Reply second = new Reply(400, Headers.empty(), Body.EMPTY);

    items.refused(first);
    items.refused(second);

    assertThat(items.dropped()).isTrue();
    assertThat(items.isRefusal(second)).isTrue();
    assertThat(items.isRefusal(new Reply(400, Headers.empty(), Body.EMPTY))).isFalse();
    assertThat(items.takeResend(second)).isTrue();
    assertThat(items.takeResend(first)).isFalse();
  }
}
