package io.reliapi.reload;

import io.reliapi.testing.MockUpstream;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every "across a reload" test class has: a directory for the config file, a mock upstream whose held calls
 * the test answers (or that are cut at the end), and the gateway the test starts and reloads.
 */
abstract class AcrossReload {
  @TempDir
  Path dir;
  final MockUpstream up = MockUpstream.start();
  final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();
  ReloadableGateway gw;

  @AfterEach
  void stop() {
    held.forEach(call -> call.request().connection().close());
    if (gw != null) {
      gw.close();
    }
    up.close();
  }
}
