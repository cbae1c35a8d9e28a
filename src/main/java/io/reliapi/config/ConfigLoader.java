package io.reliapi.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads and validates a YAML configuration; the only user of the YAML library. SnakeYAML reads the file
 * (anchors, aliases and {@code <<} merge keys resolved, duplicate keys refused, alias expansion bounded
 * against "billion laughs"), then the tree is checked as JSON.
 */
public final class ConfigLoader {
  private static final ObjectMapper TREE = new ObjectMapper();
  private static final int MAX_ALIASES = 100;
  /** Far above any real config; a file of aliases to aliases ("billion laughs") expands past it. */
  private static final int MAX_VALUES = 100_000;

  private ConfigLoader() {}

  /** Loads {@code file}, resolving secrets from the process environment. */
  public static GatewayConfig load(Path file) {
    return load(file, System::getenv);
  }

  public static GatewayConfig load(Path file, Function<String, String> env) {
    return parse(read(file), env);
  }

  /** Reads the text of a config file; a missing or unreadable file is a {@link ConfigException}. */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(file + ": file not found"));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read"));
    }
  }

  /** Parses YAML text; every problem found is reported together in one {@link ConfigException}. */
  public static GatewayConfig parse(String yaml, Function<String, String> env) {
    JsonNode root = TREE.valueToTree(readYaml(yaml));
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = TREE.createObjectNode();
    }
    Problems problems = new Problems();
    GatewayConfig config = new ConfigReader(new Node(root, "", problems, env), env).read();
    problems.throwIfAny();
    return config;
  }

  private static Object readYaml(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    try {
      Object document = new Yaml(new SafeConstructor(options)).load(yaml);
      if (countValues(document, MAX_VALUES) > MAX_VALUES) {
        throw new ConfigException(List.of("config: not valid YAML: its aliases expand to more than "
            + MAX_VALUES + " values"));
      }
      return document;
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      String at = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException(List.of("config: not valid YAML" + at + ": " + e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(List.of("config: not valid YAML: " + e.getMessage()));
    }
  }

  /** Counts the values the document expands to (aliases counted each time), stopping past {@code max}. */
  private static int countValues(Object document, int max) {
    java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
    pending.push(document == null ? "" : document);
    int count = 0;
    while (!pending.isEmpty() && count <= max) {
      Object value = pending.pop();
      count++;
      if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> {
          pending.push(k == null ? "" : k);
          pending.push(v == null ? "" : v);
        });
      } else if (value instanceof List<?> list) {
        list.forEach(v -> pending.push(v == null ? "" : v));
      }
    }
    return count;
  }

  /** Returns the key names of a section, for documentation checks. */
  public static Map<String, java.util.Set<String>> schema() {
    return ConfigReader.SCHEMA;
  }
}
