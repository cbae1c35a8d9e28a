package io.reliapi.config;

/** A secret read from an environment variable. Its text is never printed: {@link #toString()} hides it. */
public record Secret(String envVar, String value) {

  @Override
  public String toString() {
    return "Secret[" + envVar + "=***]";
  }
}
