package io.reliapi.testing;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a {@link MockUpstream} does per route ({@code "GET /path"}, {@code "* /path"} for any method, {@code "* *"}):
 * the scripted behaviors, each used once in order, then the route's default; the most specific route first.
 */
final class RouteScripts {
  private final Map<String, Queue<Behavior>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Behavior> defaults = new ConcurrentHashMap<>();

  void script(String route, Behavior... behaviors) {
    scripts.computeIfAbsent(route, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(behaviors));
  }

  void otherwise(String route, Behavior behavior) {
    defaults.put(route, behavior);
  }

  void clear() {
    scripts.clear();
    defaults.clear();
  }

  /** Returns the behavior for a request with {@code method} on {@code path}: out of the box, an echo. */
  Behavior next(String method, String path) {
    List<String> routes = List.of(method + " " + path, "* " + path, "* *");
    for (String route : routes) {
      Queue<Behavior> queue = scripts.get(route);
      Behavior next = queue == null ? null : queue.poll();
      if (next != null) {
        return next;
      }
    }
    for (String route : routes) {
      Behavior fallback = defaults.get(route);
      if (fallback != null) {
        return fallback;
      }
    }
    return Behavior.echo();
  }
}
