package io.reliapi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration reference documents exactly the keys the loader accepts, section by section. */
class ConfigReferenceTest {
  private static final Pattern HEADING = Pattern.compile("^### `([^`]+)`\\s*$");
  private static final Pattern ROW_KEY = Pattern.compile("^\\| `([^`]+)` \\|");

  @Test
  void everyAcceptedKeyIsDocumentedAndEveryDocumentedKeyIsAccepted() throws Exception {
    Map<String, Set<String>> documented = new HashMap<>();
    String section = null;
    for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        section = heading.group(1).equals("(top level)") ? "" : heading.group(1);
        documented.put(section, new HashSet<>());
        continue;
      }
      Matcher row = ROW_KEY.matcher(line);
      if (section != null && row.find()) {
        documented.get(section).add(row.group(1));
      }
    }
    Map<String, Set<String>> schema = ConfigLoader.schema();
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(schema.keySet());
    schema.forEach((name, keys) -> assertThat(documented.get(name)).as("section " + name).isEqualTo(keys));
  }
}
