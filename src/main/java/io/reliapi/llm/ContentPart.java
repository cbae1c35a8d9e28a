package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One part of a message's content in the neutral model. Text and images are understood by every
 * adapter; any other part (or a known one with extra members) travels as {@link Other}, as the client
 * wrote it, so provider-specific parts pass through.
 */
public sealed interface ContentPart {

  record Text(String text) implements ContentPart {}

  /** An image by URL or {@code data:} URL, with OpenAI's optional {@code detail} hint. */
  record Image(String url, Optional<String> detail) implements ContentPart {}

  /** A part the gateway does not interpret; never mutated. */
  record Other(JsonNode raw) implements ContentPart {}
}
