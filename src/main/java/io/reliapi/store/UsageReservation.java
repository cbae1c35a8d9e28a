package io.reliapi.store;

import java.util.List;

/** The answer to reserving one call and some tokens on several limits: granted on all of them, or on none. */
public sealed interface UsageReservation {

  /**
   * One call and {@code tokens} are counted on each of the limits {@code names}, in the second
   * {@code epochSecond} of the gateway's clock, which settling corrects later.
   */
  record Granted(List<String> names, long epochSecond, long tokens) implements UsageReservation {
    public Granted {
      names = List.copyOf(names);
    }
  }

  /**
   * Nothing was counted: limit {@code name} has no room for it in {@code kind} ({@code rpm} or {@code tpm})
   * for another {@code retryAfterMs}; {@code neverFits} when the request alone is larger than the limit.
   */
  record Refused(String name, String kind, long retryAfterMs, boolean neverFits) implements UsageReservation {}
}
