package io.reliapi.llm.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A byte-pair vocabulary held compactly, for counting only: every token's bytes in one array, where each
 * starts in a second, and an open-addressing table of ints from a token's hash to its rank. o200k_base takes
 * about 4 MB this way where jtokkit's maps (boxed keys and values, and a decoder we never use) keep ~27 MB.
 * Immutable once loaded, so every thread reads it without locking.
 */
final class TokenRanks {
  /** The rank of a byte string that is not a token. */
  static final int NONE = Integer.MAX_VALUE;
  /** Low bits of a table slot: rank + 1 (0 marks an empty slot). High bits: the top bits of the token's hash. */
  private static final int RANK_BITS = 20;
  private static final int RANK_MASK = (1 << RANK_BITS) - 1;

  private final byte[] bytes;
  private final int[] starts;
  private final int[] slots;
  private final int mask;

  private TokenRanks(byte[] bytes, int[] starts) {
    this.bytes = bytes;
    this.starts = starts;
    int tokens = starts.length - 1;
    if (tokens >= RANK_MASK) {
      throw new IllegalStateException("too many tokens for the table: " + tokens);
    }
    int capacity = Integer.highestOneBit(Math.max(tokens, 8) * 2 - 1) << 1;
    this.slots = new int[capacity];
    this.mask = capacity - 1;
    for (int rank = 0; rank < tokens; rank++) {
      int hash = hash(bytes, starts[rank], starts[rank + 1]);
      int i = hash & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = (hash & ~RANK_MASK) | (rank + 1);
    }
  }

  /**
   * Reads a {@code .tiktoken} file (one token a line: its bytes in base64, a space, its rank; ranks 0, 1, 2, ...
   * in order) straight into the compact form: the text is read once, measured, and decoded into arrays of the
   * exact size, so loading builds no map and no object per token.
   */
  static TokenRanks read(InputStream in) {
    byte[] text;
    try (in) {
      text = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int tokens = 0;
    int totalBytes = 0;
    for (int line = 0; line < text.length; line = endOfLine(text, line) + 1) {
      int space = indexOf(text, (byte) ' ', line);
      totalBytes += Base64Bytes.decodedLength(text, line, space);
      tokens++;
    }
    byte[] bytes = new byte[totalBytes];
    int[] starts = new int[tokens + 1];
    int token = 0;
    int at = 0;
    for (int line = 0; line < text.length; token++) {
      int space = indexOf(text, (byte) ' ', line);
      int end = endOfLine(text, line);
      if (parseRank(text, space + 1, end) != token) {
        throw new IllegalStateException("ranks are not 0, 1, 2, ... in order at line " + (token + 1));
      }
      starts[token] = at;
      at = Base64Bytes.decode(text, line, space, bytes, at);
      line = end + 1;
    }
    starts[tokens] = at;
    return new TokenRanks(bytes, starts);
  }

  int size() {
    return starts.length - 1;
  }

  /** Returns the rank of {@code piece[start, end)}, or {@link #NONE} if it is not a token. */
  int rank(byte[] piece, int start, int end) {
    int hash = hash(piece, start, end);
    int length = end - start;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      int slot = slots[i];
      if (slot == 0) {
        return NONE;
      }
      if (((slot ^ hash) & ~RANK_MASK) == 0) {
        int rank = (slot & RANK_MASK) - 1;
        int from = starts[rank];
        if (starts[rank + 1] - from == length && Arrays.equals(bytes, from, from + length, piece, start, end)) {
          return rank;
        }
      }
    }
  }

  /** Retained heap of the arrays, in bytes (for the measurements in docs/performance.md). */
  long heapBytes() {
    return bytes.length + 4L * starts.length + 4L * slots.length;
  }

  private static int hash(byte[] b, int start, int end) {
    int h = end - start;
    for (int i = start; i < end; i++) {
      h = 31 * h + b[i];
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  private static int indexOf(byte[] text, byte b, int from) {
    for (int i = from; i < text.length; i++) {
      if (text[i] == b) {
        return i;
      }
    }
    throw new IllegalStateException("a line without '" + (char) b + "' at byte " + from);
  }

  private static int endOfLine(byte[] text, int from) {
    for (int i = from; i < text.length; i++) {
      if (text[i] == '\n') {
        return i;
      }
    }
    return text.length;
  }

  private static int parseRank(byte[] text, int from, int to) {
    if (to > from && text[to - 1] == '\r') {
      to--;
    }
    if (from >= to) {
      throw new IllegalStateException("a line without a rank at byte " + from);
    }
    int rank = 0;
    for (int i = from; i < to; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new IllegalStateException("a rank that is not a number at byte " + from);
      }
      rank = rank * 10 + digit;
    }
    return rank;
  }
}
