package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain start's own reading of the options, and everything it leaves to picocli. */
class PlainStartTest {
  private static Main read(String... args) {
    return PlainStart.read(args, new Main(Map.of())).orElse(null);
  }

  @Test
  void readsEveryOptionOfAPlainStartInBothSpellings() {
    Main main = read("--config", "c.yaml", "--host=0.0.0.0", "--port", "18000", "--redis-url=redis://r:6379",
        "--log-level", "warn", "--exit-after-start");

    assertThat(main.config).isEqualTo(Path.of("c.yaml"));
    assertThat(main.host).isEqualTo("0.0.0.0");
    assertThat(main.port).isEqualTo(18000);
    assertThat(main.redisUrl).isEqualTo("redis://r:6379");
    assertThat(main.logLevel).isEqualTo("warn");
    assertThat(main.exitAfterStart).isTrue();
  }

  @Test
  void noOptionsIsAPlainStartConfiguredFromTheEnvironment() {
    Main main = read();

    assertThat(main).isNotNull();
    assertThat(main.config).isNull();
    assertThat(main.port).isNull();
  }

  @Test
  void leavesEverythingElseToPicocli() {
    assertThat(read("--help")).isNull();
    assertThat(read("-h")).isNull();
    assertThat(read("--version")).isNull();
    assertThat(read("check-config", "c.yaml")).isNull();
    assertThat(read("help")).isNull();
    assertThat(read("--config")).isNull();
    assertThat(read("--config", "--port", "1")).isNull();
    assertThat(read("--config=")).isNull();
    assertThat(read("--port", "http")).isNull();
    assertThat(read("--port", "-1")).isNull();
    assertThat(read("--port", "1", "--port", "2")).isNull();
    assertThat(read("--config", "a.yaml", "--config=b.yaml")).isNull();
    assertThat(read("--exit-after-start", "--exit-after-start")).isNull();
    assertThat(read("--no-such-option", "x")).isNull();
    assertThat(read("--config", "c.yaml", "stray")).isNull();
  }
}
