package io.reliapi.server.llm;

import java.util.Optional;

/**
 * What a request written in a provider protocol holds that no other protocol can carry (an Anthropic server tool or
 * block kind, an OpenAI hosted tool), noted while it is read. Such a request is served only by targets that speak
 * its protocol.
 */
public final class Untranslatable {
  private String first;

  /** Notes {@code what} (e.g. {@code "'tools[0]' of type web_search_20250305"}); the first one is kept. */
  public void note(String what) {
    if (first == null) {
      first = what;
    }
  }

  /** Returns the first thing noted, to name in a refusal. */
  public Optional<String> first() {
    return Optional.ofNullable(first);
  }
}
