package io.reliapi.admin;

import io.reliapi.observe.JsonLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per admin action ({@code "logger": "reliapi.audit"}): who (the admin key's index, never the
 * key), what, on which target, and how it ended; the line's {@code ts} says when.
 */
final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger("reliapi.audit");

  private Audit() {}

  static void action(String admin, String action, String target, String detail, String result) {
    LOG.info("admin action", (JsonLine.Fields) line -> line.field("admin", admin).field("action", action)
        .field("target", target).field("detail", detail).field("result", result));
  }
}
