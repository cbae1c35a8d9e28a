package io.reliapi.admin;

import java.util.List;

/**
 * How a config reload ended.
 *
 * @param result    {@code reloaded}, {@code unchanged} (the file's text is the running one) or {@code refused}
 * @param trigger   what asked for it: {@code startup}, {@code admin}, {@code sighup} or {@code watch}
 * @param version   the version running afterwards
 * @param problems  why it was refused, one line per problem (key path, value, rule); empty otherwise
 */
public record ReloadOutcome(String result, String trigger, long atMillis, long version, String digest,
    List<String> problems) {

  public ReloadOutcome {
    problems = List.copyOf(problems);
  }

  public boolean refused() {
    return "refused".equals(result);
  }
}
