package io.reliapi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No file of the repository still holds the markers of an unresolved merge. */
class NoConflictMarkersTest {

  @Test
  void noFileHoldsMergeConflictMarkers() throws IOException {
    List<String> found = new ArrayList<>();
    for (String root : List.of("src", "docs", "examples", "bin", "bench", ".ci", "README.md", "pom.xml")) {
      Path start = Path.of(root);
      if (!Files.exists(start)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(start)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          List<String> lines;
          try {
            lines = Files.readAllLines(file);
          } catch (IOException notText) {
            continue;
          }
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("<<<<<<< ") || line.startsWith(">>>>>>> ") || line.equals("=======")) {
              found.add(file + ":" + (i + 1));
            }
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }
}
