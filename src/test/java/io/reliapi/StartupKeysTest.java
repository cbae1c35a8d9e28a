package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The gateway refuses to start when the RELIAPI_API_KEY client would collide with a configured one
 * ({@code check-config} runs the very validation a start runs, and exits the same way).
 */
class StartupKeysTest {
  @TempDir
  Path dir;

  @Test
  void exitsTwoWithoutPrintingTheKeyWhenReliapiApiKeyRepeatsAClientsKey() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, """
        clients:
          - {name: backend, key_env: BACKEND_KEY}
        targets: {api: {base_url: 'http://127.0.0.1:9'}}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main(Map.of("BACKEND_KEY", "sk-shared-9f3a", "RELIAPI_API_KEY", "sk-shared-9f3a")))
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute("check-config", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo(
        "clients[0].key_env: holds the same key as RELIAPI_API_KEY; every client needs its own key (got \"BACKEND_KEY\")");
    assertThat(out + err.toString()).doesNotContain("sk-shared-9f3a");
  }
}
