package io.reliapi.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Content;
import io.reliapi.llm.ContentPart;
import io.reliapi.llm.NativeBody;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a request asks the provider to write its prompt to a prompt cache, and for how long: Anthropic bills
 * prompt tokens written to its cache above the input price (1.25 times it for five minutes, twice it for an hour,
 * {@code cache_control: {"type": "ephemeral", "ttl": "1h"}}), so a prompt with a {@code cache_control} anywhere
 * (a block, a tool, the system prompt, or the request's own) is estimated at the write price. Providers whose
 * cache writes cost nothing extra have no write price, and the mark changes nothing for them.
 */
public enum CacheWrites {
  NONE,
  FIVE_MINUTES,
  ONE_HOUR;

  static final String MARK = "cache_control";

  /** Reads {@code request}: the body as the client wrote it where there is one, else the neutral request. */
  public static CacheWrites of(ChatRequest request) {
    if (request.nativeBody().isPresent()) {
      return in(request.nativeBody().map(NativeBody::body).get());
    }
    // In the neutral request a mark can only stand where raw JSON was kept: a message's other fields, a content
    // part the gateway does not interpret, the options and extra. Read there, no JSON is built per request.
    CacheWrites found = longest(in(request.options()), in(request.extra()));
    for (ChatMessage message : request.messages()) {
      found = longest(found, in(message.fields()));
      if (message.content().orElse(null) instanceof Content.Parts parts) {
        for (ContentPart part : parts.parts()) {
          if (part instanceof ContentPart.Other other) {
            found = longest(found, in(other.raw()));
          }
        }
      }
    }
    return found;
  }

  /** Returns the longest cache write any {@code cache_control} in {@code json} asks for. */
  static CacheWrites in(JsonNode json) {
    CacheWrites found = NONE;
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(json);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isObject() && node.has(MARK)) {
        JsonNode mark = node.get(MARK);
        found = longest(found, mark.path("ttl").asText("").equals("1h") ? ONE_HOUR
            : mark.isNull() ? NONE : FIVE_MINUTES);
      }
      if (node.isContainerNode()) {
        node.forEach(pending::push);
      }
    }
    return found;
  }

  private static CacheWrites longest(CacheWrites a, CacheWrites b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
