package io.reliapi.observe;

import io.reliapi.http.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What identifies an unexpected failure without saying anything a failure could carry: its type, a short
 * hash of where it was thrown, and the gateway's own frames nearest the throw. The message is never read,
 * since a library's message can hold an upstream URL, a header value or a piece of a body.
 *
 * @param type      the failure's class name
 * @param causeType the class name of its innermost cause, or null when it has none
 * @param hash      12 hex digits over the type and the top {@value #HASHED_FRAMES} frames (class, method,
 *                  line): the same bug thrown from the same place always has the same hash
 * @param frames    the top {@value #OWN_FRAMES} {@code io.reliapi} frames as {@code Class.method:line},
 *                  innermost first, joined by {@code " < "}; empty when the failure has no stack
 */
public record StackFingerprint(String type, String causeType, String hash, String frames) {
  static final int HASHED_FRAMES = 8;
  static final int OWN_FRAMES = 3;
  private static final String OWN_PACKAGE = "io.reliapi.";

  public static StackFingerprint of(Throwable failure) {
    StackTraceElement[] stack = failure.getStackTrace();
    Digest digest = new Digest().add(failure.getClass().getName());
    for (int i = 0; i < Math.min(HASHED_FRAMES, stack.length); i++) {
      digest.add(stack[i].getClassName()).add(stack[i].getMethodName()).add(Integer.toString(stack[i].getLineNumber()));
    }
    List<String> own = new ArrayList<>(OWN_FRAMES);
    for (int i = 0; i < stack.length && own.size() < OWN_FRAMES; i++) {
      if (stack[i].getClassName().startsWith(OWN_PACKAGE)) {
        own.add(frame(stack[i]));
      }
    }
    return new StackFingerprint(failure.getClass().getName(), causeType(failure), digest.hex().substring(0, 12),
        String.join(" < ", own));
  }

  private static String frame(StackTraceElement element) {
    String className = element.getClassName();
    return className.substring(className.lastIndexOf('.') + 1) + "." + element.getMethodName() + ":"
        + element.getLineNumber();
  }

  private static String causeType(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable innermost = failure;
    // A cause chain can loop: stop at the first cause already seen.
    while (seen.add(innermost) && innermost.getCause() != null && !seen.contains(innermost.getCause())) {
      innermost = innermost.getCause();
    }
    return innermost == failure ? null : innermost.getClass().getName();
  }
}
