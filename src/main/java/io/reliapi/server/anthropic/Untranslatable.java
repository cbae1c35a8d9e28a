package io.reliapi.server.anthropic;

import java.util.Optional;

/**
 * What a Messages request holds that no other protocol can carry (a server tool, a block kind only Anthropic
 * knows, a file reference), noted while it is read. Such a request is served only by Anthropic targets.
 */
final class Untranslatable {
  private String first;

  /** Notes {@code what} (e.g. {@code "'tools[0]' of type web_search_20250305"}); the first one is kept. */
  void note(String what) {
    if (first == null) {
      first = what;
    }
  }

  /** Returns the first thing noted, to name in a refusal. */
  Optional<String> first() {
    return Optional.ofNullable(first);
  }
}
