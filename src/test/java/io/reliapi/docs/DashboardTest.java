package io.reliapi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard queries only metrics the operations guide lists and the code emits. */
class DashboardTest {
  private static final Pattern METRIC = Pattern.compile("reliapi_[a-z_]+");

  @Test
  void queriesOnlyDocumentedMetricsThatTheCodeEmits() throws Exception {
    JsonNode dashboard = Json.parseOrNull(Files.readAllBytes(Path.of("docs/grafana/reliapi-dashboard.json")));
    assertThat(dashboard).isNotNull();
    Set<String> queried = new HashSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher m = METRIC.matcher(target.get("expr").asText());
        while (m.find()) {
          queried.add(m.group().replaceAll("_(total|bucket|count|sum)$", ""));
        }
      }
    }
    String operations = Files.readString(Path.of("docs/operations.md"));
    // The meters counted as requests pass, and those read at each scrape.
    String metricsCode = Files.readString(Path.of("src/main/java/io/reliapi/observe/Metrics.java"))
        + Files.readString(Path.of("src/main/java/io/reliapi/observe/StateGauges.java"));
    assertThat(queried).hasSizeGreaterThan(10);
    for (String metric : queried) {
      assertThat(operations).as("operations.md lists " + metric).contains("`" + metric);
      // Micrometer adds the unit suffix to timers.
      assertThat(metricsCode).as("the metrics code emits " + metric).contains("\"" + metric.replaceAll("_seconds$", ""));
    }
  }
}
