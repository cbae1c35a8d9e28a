package io.reliapi.config;

import java.util.List;

/** A configuration that cannot run: one line per problem, each naming the key path, value and rule. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
