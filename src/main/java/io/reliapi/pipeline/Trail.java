package io.reliapi.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * The decisions of one request in the order taken, at most {@value #MAX} (later ones are only counted), so
 * a request retried and fallen back many times still has a bounded trail. Written on the request's event
 * loop; {@link #entries()} is read once the request has ended.
 */
public final class Trail {
  public static final int MAX = 32;
  /** The trail of a request that noted nothing: never written to. */
  static final Trail EMPTY = new Trail();
  private TrailEntry[] entries;
  private int size;
  private int dropped;

  void add(TrailEntry entry) {
    if (size == MAX) {
      dropped++;
      return;
    }
    if (entries == null) {
      entries = new TrailEntry[4];
    } else if (size == entries.length) {
      entries = Arrays.copyOf(entries, Math.min(MAX, size * 2));
    }
    entries[size++] = entry;
  }

  /** Returns the entries kept, oldest first. */
  public List<TrailEntry> entries() {
    return size == 0 ? List.of() : java.util.Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(entries, size)));
  }

  /** Returns how many entries are kept. */
  public int size() {
    return size;
  }

  /** Returns the kept entry {@code i}, oldest first, without copying the trail. */
  public TrailEntry get(int i) {
    return entries[java.util.Objects.checkIndex(i, size)];
  }

  /** Returns how many entries came after the first {@value #MAX} and were not kept. */
  public int dropped() {
    return dropped;
  }
}
