package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The class each way a stream fails falls into (SPEC §3.1), and which of them a retry may get past. */
class StreamFaultsTest {

  @Test
  void aReadTimeoutOfTheProvidersConnectionIsAStall() {
    GatewayException error = StreamFaults.broken(new TimeoutException());

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(error.streamFault()).isTrue();
  }

  @Test
  void anyOtherFailureOfTheProvidersConnectionIsABreak() {
    GatewayException error = StreamFaults.broken(new IOException("reset"));

    assertThat(error.code()).isEqualTo(ErrorCode.NETWORK_ERROR);
    assertThat(error.streamFault()).isTrue();
    assertThat(error.getMessage()).doesNotContain("reset");
  }

  @Test
  void silenceBeforeTheFirstTokenIsASlowAnswerNotAStreamFault() {
    GatewayException error = StreamFaults.silence(false);

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(error.streamFault()).isFalse();
  }

  @Test
  void silenceAfterTheFirstTokenIsAStall() {
    GatewayException error = StreamFaults.silence(true);

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(error.streamFault()).isTrue();
  }

  @Test
  void aDecodersOwnFailureKeepsItsClassAndBecomesAStreamFault() {
    GatewayException decoders = GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "bad tool call");

    GatewayException error = StreamFaults.undecodable(decoders);

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(error.getMessage()).isEqualTo("bad tool call");
    assertThat(error.streamFault()).isTrue();
  }

  @Test
  void theGatewaysOwnBoundsAreNoFaultOfTheStreamToRetryOrContinue() {
    GatewayException tooLarge = GatewayException.afterSend(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE, "too large");
    GatewayException shed = new HeldBytes(new ByteBudget(1)).shedAnswer();

    assertThat(StreamFaults.undecodable(tooLarge).streamFault()).isFalse();
    assertThat(StreamFaults.undecodable(shed).streamFault()).isFalse();
    assertThat(StreamFaults.undecodable(shed).code()).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(StreamFaults.broken(tooLarge)).as("met by a raw route's tee, on the way in").isSameAs(tooLarge);
    assertThat(StreamFaults.broken(shed)).isSameAs(shed);
  }

  @Test
  void anyOtherReadingFailureIsAMalformedEventWithoutItsDetails() {
    GatewayException error = StreamFaults.undecodable(new IllegalStateException("Unexpected character at 7"));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(error.getMessage()).doesNotContain("Unexpected");
    assertThat(error.streamFault()).isTrue();
  }

  @Test
  void theEndsOfAnAnswerThatIsNotThereAreStreamFaults() {
    assertThat(StreamFaults.cutOff().streamFault()).isTrue();
    assertThat(StreamFaults.emptyAnswer().streamFault()).isTrue();
    assertThat(StreamFaults.cutOff().code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
    assertThat(StreamFaults.emptyAnswer().code()).isEqualTo(ErrorCode.UPSTREAM_INVALID_RESPONSE);
  }

  @Test
  void theClientGoingAwayIsANetworkErrorNoRetryGetsPast() {
    GatewayException error = StreamFaults.clientGone();

    assertThat(error.code()).isEqualTo(ErrorCode.NETWORK_ERROR);
    assertThat(error.streamFault()).isFalse();
  }

  @Test
  void aProviderErrorAfterTheCommitPointCarriesTheStatusItStandsFor() {
    GatewayException error = StreamFaults.providerError(529);

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.upstreamStatus()).isEqualTo(529);
  }
}
