package io.reliapi.server.anthropic;

import io.reliapi.http.Json;

/**
 * How far a streamed tool call's arguments have come towards one JSON object, followed fragment by fragment so
 * that each character is looked at once however the fragments interleave with text: <em>whole</em> once the
 * object has closed well-formed with nothing but whitespace after it, <em>done</em> once it is whole or can never
 * be (the arguments start with something else, go on after the object closed, or closed malformed). The text is
 * parsed once, when the object closes.
 */
final class ToolArgumentsProgress {
  private final StringBuilder text = new StringBuilder();
  private int depth;
  private boolean started;
  private boolean inString;
  private boolean escaped;
  private boolean closed;
  private boolean whole;
  private boolean hopeless;

  void append(String fragment) {
    text.append(fragment);
    for (int i = 0; i < fragment.length() && !hopeless; i++) {
      scan(fragment.charAt(i));
    }
    if (closed && !whole && !hopeless) {
      whole = Json.isWellFormed(text.toString());
      hopeless = !whole;
    }
  }

  private void scan(char c) {
    if (closed || !started) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') { // JSON's whitespace
        // Anything after the object, or before it but its opening brace, keeps the text from being one object.
        hopeless = closed || c != '{';
        started = true;
        depth = 1;
      }
    } else if (escaped) {
      escaped = false;
    } else if (inString) {
      escaped = c == '\\';
      inString = c != '"';
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      closed = true;
    }
  }

  /** Whether the arguments are one JSON object, whole. */
  boolean whole() {
    return whole && !hopeless;
  }

  /** Whether no fragment can change what the arguments amount to: they are whole, or never can be. */
  boolean done() {
    return whole() || hopeless;
  }

  boolean isEmpty() {
    return text.isEmpty();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
