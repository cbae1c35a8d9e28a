package io.reliapi.llm.cost;

import java.util.Arrays;

/**
 * Byte-pair merging of one long piece (100 kB of one letter, a run of emoji) in O(n log n): the parts are a
 * linked list over the piece's byte positions (part i starts at byte i), and a binary heap orders the pairs
 * by rank. It merges as jtokkit's large-piece encoder does, so counts stay equal to jtokkit's: it takes every
 * pair of the lowest rank at once and merges them in the order they got that rank, before it looks at the
 * pairs those merges made. A pair whose part was merged away or re-ranked since it was queued is skipped.
 */
final class LongPieceMerge {
  private final TokenRanks ranks;
  private final byte[] piece;
  private final int length;
  private final int[] previous;
  private final int[] next;
  /** The rank of part i joined to the part after it. */
  private final int[] pairRank;
  /** The heap entry that is current for part i (-1 for none): older entries of part i are stale. */
  private final int[] currentEntry;
  /** Entry number → part; an entry is queued as (rank << 32 | entry number), so equal ranks pop in queue order. */
  private int[] partOfEntry;
  private int entries;
  private long[] heap;
  private int heapSize;
  private long[] group = new long[16];
  long steps;

  LongPieceMerge(TokenRanks ranks, byte[] piece, int length) {
    this.ranks = ranks;
    this.piece = piece;
    this.length = length;
    previous = new int[length + 1];
    next = new int[length + 1];
    pairRank = new int[length + 1];
    currentEntry = new int[length + 1];
    partOfEntry = new int[length * 2 + 16];
    heap = new long[length + 16];
  }

  int count() {
    for (int i = 0; i <= length; i++) {
      previous[i] = i - 1;
      next[i] = i < length ? i + 1 : -1;
      currentEntry[i] = -1;
      pairRank[i] = i + 2 <= length ? rank(i, i + 2) : TokenRanks.NONE;
      queue(i);
    }
    int parts = length;
    while (parts > 2 && heapSize > 0) {
      int lowest = rankOf(heap[0]);
      int members = 0;
      while (heapSize > 0 && rankOf(heap[0]) == lowest) {
        if (members == group.length) {
          group = Arrays.copyOf(group, members * 2);
        }
        group[members++] = pop();
      }
      for (int g = 0; g < members; g++) {
        int entry = (int) group[g];
        int part = partOfEntry[entry];
        if (currentEntry[part] == entry) {
          merge(part);
          parts--;
        }
      }
    }
    return parts;
  }

  /** Joins {@code part} to the part after it and re-ranks the pairs on either side of the joined part. */
  private void merge(int part) {
    int before = previous[part];
    int joined = next[part];
    int after = next[joined];
    int afterThat = after < length ? next[after] : -1;
    if (before >= 0) {
      int rank = rank(before, after);
      if (rank != pairRank[before]) {
        pairRank[before] = rank;
        queue(before);
      }
    }
    pairRank[part] = afterThat >= 0 ? rank(part, afterThat) : TokenRanks.NONE;
    queue(part);
    next[part] = after;
    previous[after] = part;
    currentEntry[joined] = -1;
  }

  private int rank(int start, int end) {
    steps++;
    // the whole piece is not a token (checked before), as jtokkit's encoder also assumes
    return end - start == length ? TokenRanks.NONE : ranks.rank(piece, start, end);
  }

  /** Makes {@code part}'s current rank its only live heap entry (none if its pair is not a token). */
  private void queue(int part) {
    if (pairRank[part] == TokenRanks.NONE) {
      currentEntry[part] = -1;
      return;
    }
    if (entries == partOfEntry.length) {
      partOfEntry = Arrays.copyOf(partOfEntry, entries * 2);
    }
    int entry = entries++;
    partOfEntry[entry] = part;
    currentEntry[part] = entry;
    push((long) pairRank[part] << 32 | entry);
  }

  private static int rankOf(long key) {
    return (int) (key >>> 32);
  }

  private void push(long key) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize * 2);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= key) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
      steps++;
    }
    heap[i] = key;
  }

  private long pop() {
    long top = heap[0];
    long last = heap[--heapSize];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
      steps++;
    }
    if (heapSize > 0) {
      heap[i] = last;
    }
    return top;
  }
}
