package io.reliapi.llm.cost;

/**
 * One tiktoken encoding, for counting: its pre-tokenisation and its vocabulary. Counts equal jtokkit's
 * {@code countTokensOrdinary} (special tokens count as the ordinary text they are). Thread-safe: the
 * vocabulary is immutable and each thread merges with its own {@link PieceCounter}.
 */
final class TokenEncoding {
  private final String name;
  private final Pieces pieces;
  private final TokenRanks ranks;
  private final ThreadLocal<PieceCounter> counters;

  TokenEncoding(String name, Pieces pieces, TokenRanks ranks) {
    this.name = name;
    this.pieces = pieces;
    this.ranks = ranks;
    this.counters = ThreadLocal.withInitial(() -> new PieceCounter(ranks));
  }

  /** Loads {@code cl100k_base} or {@code o200k_base} from the {@code .tiktoken} file jtokkit's jar carries. */
  static TokenEncoding load(String name) {
    Pieces pieces = switch (name) {
      case "cl100k_base" -> new Cl100kPieces();
      case "o200k_base" -> new O200kPieces();
      default -> throw new IllegalArgumentException("no such encoding: " + name);
    };
    var in = com.knuddels.jtokkit.Encodings.class.getResourceAsStream(name + ".tiktoken");
    if (in == null) {
      throw new IllegalStateException(name + ".tiktoken is not on the class path");
    }
    return new TokenEncoding(name, pieces, TokenRanks.read(in));
  }

  String name() {
    return name;
  }

  TokenRanks ranks() {
    return ranks;
  }

  int count(String text) {
    return Math.toIntExact(counters.get().count(pieces, text));
  }

  /** The counter of this thread, for tests that look at the work a count took. */
  PieceCounter counterOfThisThread() {
    return counters.get();
  }
}
