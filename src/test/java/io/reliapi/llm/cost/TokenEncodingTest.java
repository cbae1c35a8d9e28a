package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.TokenEncodingPropertiesTest.CL100K;
import static io.reliapi.llm.cost.TokenEncodingPropertiesTest.O200K;
import static io.reliapi.llm.cost.TokenEncodingPropertiesTest.countsAsJtokkit;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TokenEncodingTest {
  static final int HUNDRED_KB = 100_000;

  static Stream<String> edgeCases() {
    return Stream.of("", " ", "\n", "\n\n\n   \t", "   \t", "\r\n\r\n  x", "  x", " \n x", "x  ", "x \n",
        "\u00a0\u00a0a", "\u3000\u3000\u65e5", "a\ud800b\ude00", "\udbff", "\ud83d\ude00\ud83d",
        "'s", "'S", "''s", "'ll've", "don't", "DON'T", "y'ALL", "'\u017f", "x'\u017f", "'", "'1",
        "1234567", "\u0661\u0662\u0663\u0664", "\u00bd\u00be1", "3.14159", "100,000,000",
        "a".repeat(499), "a".repeat(500), "a".repeat(501), "ab".repeat(600), " " + "xyz".repeat(300),
        "supercalifragilisticexpialidocious".repeat(40), "\u00e9".repeat(700), "\u65e5\u672c".repeat(300),
        "\ud83d\ude00".repeat(200), "=".repeat(2000), " ".repeat(3000) + "x", "\n".repeat(1000),
        "<|endoftext|>", "<|endofprompt|> <|fim_prefix|>", "\u0000\u0001\u001f\u007f", "\ufeff\u200b\u200d",
        "x\u0301\u0302\u0303", "\u0915\u094d\u0937", "\u00df\u1e9e", "\u01c5\u01c8", "\u02b0\u02b1a");
  }

  @ParameterizedTest
  @MethodSource("edgeCases")
  void countsEachEdgeCaseAsJtokkit(String text) {
    countsAsJtokkit(text);
  }

  @Test
  void countsAnEmptyTextAsNoTokens() {
    assertThat(CL100K.count("")).isZero();
    assertThat(O200K.count("")).isZero();
  }

  static Stream<String> hostileTexts() {
    Random random = new Random(16);
    StringBuilder letters = new StringBuilder();
    StringBuilder emoji = new StringBuilder();
    StringBuilder anything = new StringBuilder();
    while (letters.length() < HUNDRED_KB) {
      letters.append((char) ('a' + random.nextInt(26)));
    }
    while (emoji.length() < HUNDRED_KB) {
      emoji.appendCodePoint(0x1f300 + random.nextInt(0x700));
      if (random.nextInt(4) == 0) {
        emoji.append('\u200d');
      }
    }
    while (anything.length() < HUNDRED_KB) {
      anything.appendCodePoint(random.nextInt(0x110000));
    }
    return Stream.of("a".repeat(HUNDRED_KB), letters.toString(), emoji.toString(),
        TextTokens.wellFormed(anything.toString()), ".".repeat(HUNDRED_KB), " ".repeat(HUNDRED_KB) + "a");
  }

  /**
   * 100 kB of one letter, of random letters, of emoji or of random code points is counted as jtokkit counts it,
   * with work (rank look-ups, comparisons, heap moves) growing as n log n: a quadratic merge of the single
   * 100 000-byte piece would take billions of steps.
   */
  @ParameterizedTest
  @MethodSource("hostileTexts")
  void countsAHundredKilobytesOfHostileTextWithWorkThatIsNotQuadratic(String text) {
    for (TokenEncoding encoding : List.of(CL100K, O200K)) {
      PieceCounter counter = encoding.counterOfThisThread();
      counter.steps = 0;
      encoding.count(text);
      long bytes = text.getBytes(UTF_8).length;
      assertThat(counter.steps).as("%s work for %d bytes", encoding.name(), bytes).isLessThan(64 * bytes);
    }
    countsAsJtokkit(text);
  }

  @Test
  void holdsEachVocabularyInAFewMegabytes() {
    assertThat(CL100K.ranks().size()).isEqualTo(100_256);
    assertThat(O200K.ranks().size()).isEqualTo(199_998);
    assertThat(CL100K.ranks().heapBytes()).isLessThan(3_000_000);
    assertThat(O200K.ranks().heapBytes()).isLessThan(5_000_000);
  }

  @Test
  void readsRanksFromTiktokenLines() {
    TokenRanks ranks = TokenRanks.read(new ByteArrayInputStream("YQ== 0\nYg== 1\nYWI= 2\nYWJj 3\n".getBytes(UTF_8)));
    byte[] abc = "abc".getBytes(UTF_8);

    assertThat(ranks.size()).isEqualTo(4);
    assertThat(ranks.rank(abc, 0, 1)).isZero();
    assertThat(ranks.rank(abc, 0, 2)).isEqualTo(2);
    assertThat(ranks.rank(abc, 0, 3)).isEqualTo(3);
    assertThat(ranks.rank(abc, 1, 3)).isEqualTo(TokenRanks.NONE);
    assertThat(ranks.rank(abc, 2, 3)).isEqualTo(TokenRanks.NONE);
  }

  @Test
  void refusesAVocabularyWhoseRanksAreOutOfOrder() {
    assertThatThrownBy(() -> TokenRanks.read(new ByteArrayInputStream("YQ== 1\nYg== 0\n".getBytes(UTF_8))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("line 1");
  }
}
