package io.reliapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StackFingerprintTest {

  private static RuntimeException thrownHere(String message) {
    return new IllegalStateException(message);
  }

  private static StackTraceElement frame(String className, String method, int line) {
    return new StackTraceElement(className, method, className + ".java", line);
  }

  @Test
  void theSameFailureFromTheSamePlaceHasTheSameHashWhateverItsMessage() {
    RuntimeException first = null;
    RuntimeException second = null;
    for (String message : new String[] {"secret sk-1", "other text"}) {
      RuntimeException failure = thrownHere(message);
      if (first == null) {
        first = failure;
      } else {
        second = failure;
      }
    }
    assertThat(StackFingerprint.of(first)).isEqualTo(StackFingerprint.of(second));
    assertThat(StackFingerprint.of(first).hash()).matches("[0-9a-f]{12}");
  }

  @Test
  void anotherPlaceOrAnotherTypeHasAnotherHash() {
    RuntimeException here = thrownHere("x");
    RuntimeException there = new IllegalStateException("x");
    RuntimeException otherType = new IllegalArgumentException("x");
    otherType.setStackTrace(here.getStackTrace());

    assertThat(StackFingerprint.of(here).hash()).isNotEqualTo(StackFingerprint.of(there).hash())
        .isNotEqualTo(StackFingerprint.of(otherType).hash());
  }

  @Test
  void namesTheTopThreeGatewayFramesInnermostFirstAndSkipsOthers() {
    RuntimeException failure = new NullPointerException("body {\"api_key\": \"k\"}");
    failure.setStackTrace(new StackTraceElement[] {
        frame("java.util.Objects", "requireNonNull", 10),
        frame("io.reliapi.llm.ChatJson", "read", 41),
        frame("io.vertx.core.impl.future.Composition", "onSuccess", 70),
        frame("io.reliapi.server.Ingress$Unrouted", "lambda$fail$0", 12),
        frame("io.reliapi.pipeline.Pipeline", "guarded", 50),
        frame("io.reliapi.Gateway", "start", 9)});

    StackFingerprint fingerprint = StackFingerprint.of(failure);

    assertThat(fingerprint.type()).isEqualTo("java.lang.NullPointerException");
    assertThat(fingerprint.frames())
        .isEqualTo("ChatJson.read:41 < Ingress$Unrouted.lambda$fail$0:12 < Pipeline.guarded:50");
    assertThat(fingerprint.toString()).doesNotContain("api_key");
  }

  @Test
  void aStacklessFailureHasATypeAndHashButNoFrames() {
    RuntimeException stackless = new RuntimeException("m", null, false, false) {};

    StackFingerprint fingerprint = StackFingerprint.of(stackless);

    assertThat(fingerprint.frames()).isEmpty();
    assertThat(fingerprint.hash()).matches("[0-9a-f]{12}");
    assertThat(fingerprint.causeType()).isNull();
  }

  @Test
  void namesTheInnermostCauseEvenWhenTheChainLoops() {
    var inner = new java.io.UncheckedIOException(new java.io.IOException("disk"));
    var outer = new IllegalStateException("outer", inner);

    assertThat(StackFingerprint.of(outer).causeType()).isEqualTo("java.io.IOException");

    var a = new IllegalStateException("a");
    var b = new IllegalArgumentException("b", a);
    a.initCause(b);
    assertThat(StackFingerprint.of(a).causeType()).isNotNull();
  }
}
