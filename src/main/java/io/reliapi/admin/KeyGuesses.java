package io.reliapi.admin;

import io.reliapi.time.Clock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Failed admin authentications per client address, so admin keys cannot be guessed as fast as the gateway
 * answers (an IPv6 address counts by its /64, which one host commonly holds whole: a new address per guess buys
 * nothing): after {@value #MAX_FAILURES} wrong keys within a minute of the first, an address is refused (429)
 * for the rest of that minute, a right key included. A window starts at an address's first failure and lasts
 * {@value #WINDOW_S} s. Memory is bounded: the {@value #MAX_ADDRESSES} addresses used most recently are kept,
 * the oldest forgotten. Shared by every event loop; one lock, held for a map update, never around I/O.
 */
final class KeyGuesses {
  static final int MAX_FAILURES = 5;
  static final long WINDOW_S = 60;
  static final int MAX_ADDRESSES = 10_000;
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_S);

  private final Clock clock;
  private final Map<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  KeyGuesses(Clock clock) {
    this.clock = clock;
  }

  /** Returns the whole seconds {@code address} is still refused for, or 0 when it may try a key. */
  synchronized long refusedForS(String address) {
    Window window = windows.get(guesser(address));
    long now = clock.nanoTime();
    if (window == null || window.failures() < MAX_FAILURES || window.over(now)) {
      return 0;
    }
    long left = window.startNanos() + WINDOW_NANOS - now;
    return Math.max(1, (left + 999_999_999) / 1_000_000_000);
  }

  /** Counts a wrong key from {@code address}; returns true when it is the one that gets the address refused. */
  synchronized boolean failed(String address) {
    long now = clock.nanoTime();
    String guesser = guesser(address);
    Window window = windows.get(guesser);
    Window next = window == null || window.over(now) ? new Window(now, 1) : window.plusOne();
    windows.put(guesser, next);
    return next.failures() == MAX_FAILURES;
  }

  /** Names who guesses from {@code address}: an IPv4 address itself (mapped into IPv6 or not), an IPv6 one's /64. */
  static String guesser(String address) {
    InetAddress parsed;
    try {
      parsed = InetAddress.ofLiteral(address);  // a literal only: never a name lookup
    } catch (IllegalArgumentException | NullPointerException notAnAddress) {
      return String.valueOf(address);
    }
    if (parsed instanceof Inet6Address) {
      byte[] bytes = parsed.getAddress();
      return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }
    return parsed.getHostAddress();
  }

  synchronized int size() {
    return windows.size();
  }

  /** The failures of one address since {@code startNanos}. */
  private record Window(long startNanos, int failures) {
    boolean over(long nowNanos) {
      return nowNanos - startNanos >= WINDOW_NANOS;
    }

    Window plusOne() {
      return new Window(startNanos, failures + 1);
    }
  }
}
