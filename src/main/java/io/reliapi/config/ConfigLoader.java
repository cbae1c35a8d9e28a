package io.reliapi.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Loads and validates a YAML configuration; the only user of the YAML library. */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private ConfigLoader() {}

  /** Loads {@code file}, resolving secrets from the process environment. */
  public static GatewayConfig load(Path file) {
    return load(file, System::getenv);
  }

  public static GatewayConfig load(Path file, Function<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(file + ": file not found"));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read"));
    }
    return parse(text, env);
  }

  /** Parses YAML text; every problem found is reported together in one {@link ConfigException}. */
  public static GatewayConfig parse(String yaml, Function<String, String> env) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw new ConfigException(List.of("config: not valid YAML" + at + ": " + e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    Problems problems = new Problems();
    GatewayConfig config = new ConfigReader(new Node(root, "", problems, env), env).read();
    problems.throwIfAny();
    return config;
  }

  /** Returns the key names of a section, for documentation checks. */
  public static Map<String, java.util.Set<String>> schema() {
    return ConfigReader.SCHEMA;
  }
}
