package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a real process: one startup line, SIGTERM drains requests in flight, then exits 0, and
 * SIGHUP reloads the config file.
 */
class LifecycleProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dir;

  @Test
  void aPlainStartWithABadConfigExitsTwoWithOneLinePerProblem() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        targets:
          api: {base_url: "not a url", timeout_ms: -5}
        """);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.reliapi.Main", "--config=" + config, "--port", "0").redirectErrorStream(true).start();
    String output = new String(gateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).isEqualTo(2);
    assertThat(output).contains("targets.api.base_url").contains("targets.api.timeout_ms").doesNotContain("Exception");
  }

  @Test
  void sigtermLetsRequestsInFlightFinishThenExitsZero() throws Exception {
    try (MockUpstream up = MockUpstream.start()) {
      up.otherwise("GET /slow", Behavior.delayed(1_500, Behavior.json(200, "{\"done\":true}")));
      Path config = dir.resolve("config.yaml");
      Path log = dir.resolve("stdout.log");
      Files.writeString(config, """
          server: {port: 0, drain_timeout_ms: 10000}
          targets:
            api: {base_url: "%s"}
          """.formatted(up.baseUrl()));
      String java = ProcessHandle.current().info().command().orElse("java");
      Process gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "io.reliapi.Main", "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        int port = Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> listeningPort(log), p -> p > 0);
        TestHttp http = new TestHttp("http://127.0.0.1:" + port);
        List<CompletableFuture<TestHttp.Res>> inFlight = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          inFlight.add(http.getAsync("/t/api/slow"));
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> up.count("/slow") == 10);
        gateway.destroy();  // SIGTERM

        for (var response : inFlight) {
          TestHttp.Res res = response.get(20, TimeUnit.SECONDS);
          assertThat(res.status()).isEqualTo(200);
          assertThat(res.body()).isEqualTo("{\"done\":true}");
        }
        assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();
        List<String> lines = Files.readAllLines(log);
        String all = String.join("\n", lines);
        assertThat(lines.stream().filter(l -> l.contains("\"logger\":\"reliapi.access\"")).count()).as(all).isEqualTo(10);
        assertThat(lines).as(all).anySatisfy(l -> assertThat(l).contains("Draining"));
        assertThat(lines.stream().filter(l -> l.contains("listening on")).toList()).singleElement().asString()
            .contains("targets=[api]").contains("state=in-memory");
      } finally {
        gateway.destroyForcibly();
      }
    }
  }

  @Test
  void sighupReloadsTheConfigFileWithoutARestart() throws Exception {
    try (MockUpstream up = MockUpstream.start()) {
      Path config = dir.resolve("config.yaml");
      Path log = dir.resolve("stdout.log");
      String first = """
          server: {port: 0}
          targets:
            api: {base_url: "%s"}
          """.formatted(up.baseUrl());
      Files.writeString(config, first);
      String java = ProcessHandle.current().info().command().orElse("java");
      Process gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "io.reliapi.Main", "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        int port = Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> listeningPort(log), p -> p > 0);
        TestHttp http = new TestHttp("http://127.0.0.1:" + port);
        assertThat(http.get("/t/second/x").status()).isEqualTo(404);

        Files.writeString(config, first + "  second: {base_url: \"%s/second\"}\n".formatted(up.baseUrl()));
        assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(gateway.pid())).start().waitFor()).isZero();

        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> http.get("/t/second/x").status() == 200);
        assertThat(gateway.isAlive()).isTrue();
        assertThat(Files.readString(log)).contains("Config reloaded (sighup): version 2");
      } finally {
        gateway.destroyForcibly();
      }
    }
  }

  private static int listeningPort(Path log) throws java.io.IOException {
    Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
