package io.reliapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final JsonLineEncoder encoder = new JsonLineEncoder();

  private String encode(String message, Object argument, long millis, Throwable failure) {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("reliapi.test"), Level.INFO, message, failure,
        argument == null ? null : new Object[] {argument});
    event.setTimeStamp(millis);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void writesOneJsonObjectPerLineWithMillisecondUtcTimestamps() {
    String line = encode("hello \"world\"\n", (JsonLine.Fields) l -> l.field("path", "caf\u00e9\t").field("n", 7)
        .field("cost", 2.55e-6).field("none", (String) null).field("ok", true), 1_764_244_800_007L, null);
    assertThat(line).endsWith("}\n").doesNotContain("\n{");
    var json = Json.parseOrNull(line.strip().getBytes(StandardCharsets.UTF_8));
    assertThat(json).isNotNull();
    assertThat(json.get("ts").asText()).isEqualTo("2025-11-27T12:00:00.007Z");
    assertThat(json.get("msg").asText()).isEqualTo("hello \"world\"\n");
    assertThat(json.get("path").asText()).isEqualTo("caf\u00e9\t");
    assertThat(json.get("cost").decimalValue().toPlainString()).isEqualTo("0.00000255");
    assertThat(json.get("none").isNull()).isTrue();
    assertThat(encode("a", null, 1_764_244_801_999L, null)).contains("\"ts\":\"2025-11-27T12:00:01.999Z\"");
  }

  @Test
  void neverWritesAnExceptionsMessageOrStackTrace() {
    String line = encode("failed", null, 0, new IllegalStateException("secret at http://upstream.internal"));
    assertThat(line).doesNotContain("secret", "upstream.internal", "IllegalStateException", "at io.")
        .contains("\"error\":\"an internal failure was suppressed\"");
  }

  @Test
  void neverWritesTheTextOfAnExceptionPassedAsAFormatArgument() {
    var failure = new IllegalStateException("token sk-live-123 at http://upstream.internal");
    LoggingEvent event = new LoggingEvent("x", context.getLogger("reliapi.test"), Level.WARN,
        "step {} failed: {} ({})", null, new Object[] {"parse", failure, 3});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).doesNotContain("sk-live-123", "upstream.internal", "IllegalStateException")
        .contains("\"msg\":\"step parse failed: [suppressed] (3)\"");
  }
}
