package io.reliapi.llm.cost;

import java.util.Locale;

/** Reads a model's own name out of the names clients and routers give it, to tell its family by prefix. */
final class ModelNames {
  private ModelNames() {}

  /** The model's own name: lower case, without a router's {@code vendor/} prefix or a fine-tune's {@code ft:...:}. */
  static String normalized(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    if (m.startsWith("ft:")) {
      m = m.substring(3);
      int colon = m.indexOf(':');
      m = colon >= 0 ? m.substring(0, colon) : m;
    }
    return m;
  }
}
