package io.reliapi.llm.cost;

/**
 * Counts the tokens of a text's pieces by byte-pair merging: a piece that is itself a token counts 1; else
 * its bytes start as parts and the adjacent pair of lowest rank (the leftmost of equals) merges until no
 * pair is a token, as tiktoken and jtokkit do. Pieces of {@value #LONG_PIECE_BYTES} bytes or more go to
 * {@link LongPieceMerge}, as jtokkit sends them to its large-piece encoder. One per thread (it reuses its
 * arrays); holds only the arrays of pieces up to {@value #KEPT_BYTES} bytes between calls.
 */
final class PieceCounter implements Pieces.Sink {
  /** jtokkit's default {@code VERY_LARGE_TOKENIZER_BYTE_THRESHOLD}. */
  static final int LONG_PIECE_BYTES = 500;
  private static final int KEPT_BYTES = 4096;

  private final TokenRanks ranks;
  private final int[] starts = new int[LONG_PIECE_BYTES + 1];
  private final int[] pairRanks = new int[LONG_PIECE_BYTES + 1];
  private byte[] utf8 = new byte[256];
  private long tokens;
  /** Rank look-ups, comparisons and heap moves so far: the work, for the test that shows it is not quadratic. */
  long steps;

  PieceCounter(TokenRanks ranks) {
    this.ranks = ranks;
  }

  long count(Pieces pieces, String text) {
    tokens = 0;
    pieces.split(text, this);
    return tokens;
  }

  @Override
  public void piece(String text, int start, int end) {
    int most = 3 * (end - start);
    byte[] bytes = most <= utf8.length ? utf8 : new byte[most];
    if (most > utf8.length && most <= KEPT_BYTES) {
      utf8 = bytes;
    }
    tokens += count(bytes, Utf8.encode(text, start, end, bytes));
  }

  /** Counts the tokens of {@code piece[0, length)}. */
  int count(byte[] piece, int length) {
    steps++;
    if (ranks.rank(piece, 0, length) != TokenRanks.NONE) {
      return 1;
    }
    if (length >= LONG_PIECE_BYTES) {
      LongPieceMerge merge = new LongPieceMerge(ranks, piece, length);
      int count = merge.count();
      steps += merge.steps;
      return count;
    }
    return mergeShort(piece, length);
  }

  /**
   * tiktoken's merge over an array of parts: {@code starts[i]} is where part i begins, {@code pairRanks[i]}
   * the rank of part i joined to part i + 1; the last entry is the end of the piece. Quadratic, but only
   * below {@value #LONG_PIECE_BYTES} bytes, where it beats a heap.
   */
  private int mergeShort(byte[] piece, int length) {
    int parts = length;
    for (int i = 0; i <= length; i++) {
      starts[i] = i;
      pairRanks[i] = i + 2 <= length ? ranks.rank(piece, i, i + 2) : TokenRanks.NONE;
    }
    steps += length;
    while (parts > 2) {
      int min = -1;
      int minRank = TokenRanks.NONE;
      for (int i = 0; i < parts - 1; i++) {
        if (pairRanks[i] < minRank) {
          minRank = pairRanks[i];
          min = i;
        }
      }
      steps += parts;
      if (min < 0) {
        break;
      }
      // parts min and min + 1 become one: its pairs with the parts before and after it change
      if (min > 0) {
        pairRanks[min - 1] = ranks.rank(piece, starts[min - 1], starts[min + 2]);
      }
      pairRanks[min] = min + 3 <= parts ? ranks.rank(piece, starts[min], starts[min + 3]) : TokenRanks.NONE;
      System.arraycopy(starts, min + 2, starts, min + 1, parts - min - 1);
      System.arraycopy(pairRanks, min + 2, pairRanks, min + 1, parts - min - 1);
      parts--;
    }
    return parts;
  }
}
