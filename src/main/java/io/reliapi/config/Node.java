package io.reliapi.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its key path, reads typed values and reports every problem with that path.
 * Readers never throw while reading: a bad value is recorded and a default is used, so one load reports
 * all problems.
 */
final class Node {
  /** The names environment variables usually have; an unset one of another shape is not repeated in a problem. */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");

  private final JsonNode json;
  private final String path;
  private final Problems problems;
  private final Function<String, String> env;

  Node(JsonNode json, String path, Problems problems, Function<String, String> env) {
    this.json = json == null ? MissingNode.getInstance() : json;
    this.path = path;
    this.problems = problems;
    this.env = env;
  }

  String path() {
    return path;
  }

  Problems problems() {
    return problems;
  }

  /** Returns whether the key was written in the file (an explicit {@code null} counts as absent). */
  boolean present() {
    return !json.isMissingNode() && !json.isNull();
  }

  Node field(String key) {
    return new Node(json.get(key), path.isEmpty() ? key : path + "." + key, problems, env);
  }

  /** Checks that this node is a mapping with only the given keys; returns false if it is not a mapping. */
  boolean mapping(Set<String> allowed) {
    if (!present()) {
      return false;
    }
    if (!json.isObject()) {
      problems.add(path, scalar(), "must be a mapping");
      return false;
    }
    for (var names = json.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!allowed.contains(key)) {
        problems.unknownKey(field(key).path, key, allowed);
      }
    }
    return true;
  }

  /** Returns the entries of a mapping whose keys are free names (targets, model prices). */
  Map<String, Node> entries() {
    Map<String, Node> out = new LinkedHashMap<>();
    if (!present()) {
      return out;
    }
    if (!json.isObject()) {
      problems.add(path, scalar(), "must be a mapping");
      return out;
    }
    json.properties().forEach(e -> out.put(e.getKey(), field(e.getKey())));
    return out;
  }

  /** Returns the items of a list, each with its bracketed index in the path. */
  List<Node> items() {
    List<Node> out = new ArrayList<>();
    if (!present()) {
      return out;
    }
    if (!json.isArray()) {
      problems.add(path, scalar(), "must be a list");
      return out;
    }
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(json.get(i), path + "[" + i + "]", problems, env));
    }
    return out;
  }

  String text(String fallback) {
    if (!present()) {
      return fallback;
    }
    if (!json.isValueNode()) {
      problems.add(path, "a " + json.getNodeType().name().toLowerCase(), "must be a string");
      return fallback;
    }
    return json.asText();
  }

  String requiredText() {
    if (!present()) {
      problems.add(path, null, "is required");
      return "";
    }
    String value = text("");
    if (value.isBlank()) {
      problems.add(path, value, "must not be empty");
    }
    return value;
  }

  long integer(long fallback, long min, long max) {
    if (!present()) {
      return fallback;
    }
    if (!json.isIntegralNumber() || json.asLong() < min || json.asLong() > max) {
      problems.add(path, scalar(), "must be an integer from " + min + " to " + max);
      return fallback;
    }
    return json.asLong();
  }

  int integer(int fallback, int min, int max) {
    return (int) integer((long) fallback, min, max);
  }

  /** Reads a number; {@code fallback} may be null for optional values. */
  Double number(Double fallback, double min, double max) {
    if (!present()) {
      return fallback;
    }
    if (!json.isNumber() || json.asDouble() < min || json.asDouble() > max || Double.isNaN(json.asDouble())) {
      problems.add(path, scalar(), "must be a number from " + plain(min) + " to " + plain(max));
      return fallback;
    }
    return json.asDouble();
  }

  boolean bool(boolean fallback) {
    if (!present()) {
      return fallback;
    }
    if (!json.isBoolean()) {
      problems.add(path, scalar(), "must be true or false");
      return fallback;
    }
    return json.asBoolean();
  }

  /** Reads one of a fixed set of words. */
  <E> E choice(Map<String, E> options, E fallback) {
    if (!present()) {
      return fallback;
    }
    E value = json.isTextual() ? options.get(json.asText()) : null;
    if (value == null) {
      problems.add(path, scalar(), "must be one of " + String.join(", ", options.keySet()));
      return fallback;
    }
    return value;
  }

  List<String> textList() {
    List<String> out = new ArrayList<>();
    for (Node item : items()) {
      out.add(item.requiredText());
    }
    return out;
  }

  /**
   * Reads the name of an environment variable and returns its value without whitespace at its ends (a Kubernetes
   * secret made {@code --from-file} ends in the file's newline, which no header can carry); unset or empty is a
   * problem.
   */
  Secret secretFromEnv() {
    String name = requiredText();
    if (name.isEmpty()) {
      return new Secret("", "");
    }
    String value = trimmed(env.apply(name));
    if (value == null || value.isEmpty()) {
      String state = value == null ? "not set" : "empty"; // whitespace only is empty once trimmed
      if (ENV_NAME.matcher(name).matches()) {
        problems.add(path, name, "names an environment variable that is " + state);
      } else {
        // A key pasted where its variable's name belongs would go on to the admin API and the status page.
        problems.add(path, "names an environment variable that is " + state + "; its value is not repeated, as it is "
            + "no usual variable name (A-Z, 0-9, _) and may be a secret pasted in place of one");
      }
      return new Secret(name, "");
    }
    return new Secret(name, value);
  }

  /** Returns {@code value} (from the environment, may be null) without whitespace at its ends. */
  static String trimmed(String value) {
    return value == null ? null : value.strip();
  }

  /** Reads a gateway key from the environment variable this node names; a key no request can present is a problem. */
  Secret keyFromEnv() {
    Secret key = secretFromEnv();
    String unpresentable = PresentableKey.problem(key.value());
    if (unpresentable != null) {
      problem(unpresentable);
    }
    return key;
  }

  /** Records a rule broken by this node's value. */
  void problem(String rule) {
    problems.add(path, present() ? scalar() : null, rule);
  }

  /** Records a rule broken by this node's value without repeating the value (a URL may carry a secret). */
  void problemHidingValue(String rule) {
    problems.add(path, rule);
  }

  private Object scalar() {
    if (json.isTextual()) {
      return json.asText();
    }
    if (json.isNumber()) {
      return json.numberValue();
    }
    if (json.isBoolean()) {
      return json.asBoolean();
    }
    return "a " + json.getNodeType().name().toLowerCase();
  }

  /** Returns the allowed words of a {@link #choice} in the order they should be listed. */
  @SafeVarargs
  static <E> Map<String, E> words(Map.Entry<String, E>... entries) {
    Map<String, E> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, E> e : entries) {
      ordered.put(e.getKey(), e.getValue());
    }
    return ordered;
  }

  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
