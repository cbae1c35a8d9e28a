package io.reliapi.llm.cost;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Texts that exercise a tokenizer's pre-tokenisation and merging: every Unicode plane, scripts, emoji, runs. */
final class TextArbitraries {
  private TextArbitraries() {}

  static final String WHITESPACE = " \t\n\r\u000b\u000c\u0085\u00a0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000";
  static final String PUNCTUATION = ".,;:!?()[]{}<>\"'`~@#$%^&*-_=+/\\|’“”«»…—–¿¡§¶•";
  static final String DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩०१२३४५०１２３½¼¾²³ⅠⅡⅫ①②⑳";

  static final List<String> PROSE = List.of(
      "The quick brown fox jumps over the lazy dog. ",
      "It's 2026, and we've got 3.5 million users; they'll need 12,345 more servers!\n",
      "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.\n\n",
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage. ",
      "Résumé: naïve café owners in Zürich pay €4.50 for crème brûlée — c'est la vie.\r\n",
      "Привет, мир! Как дела? Это тест токенизатора. ",
      "東京都は日本の首都であり、人口は約1400万人です。",
      "北京是中国的首都，有着三千多年的历史。",
      "안녕하세요, 세계! 오늘 날씨가 좋네요. ",
      "مرحبا بالعالم، هذا اختبار. ",
      "שלום עולם! זהו מבחן. ",
      "नमस्ते दुनिया, यह एक परीक्षण है। ",
      "สวัสดีชาวโลก นี่คือการทดสอบ ",
      "Ελληνικά: Γειά σου Κόσμε! ",
      "I'M SURE THEY'RE FINE, AREN'T THEY? WE'LL SEE, YOU'VE BEEN WARNED. ",
      "\t\t- item one\n\t\t- item two\n\n\n",
      "    ");

  static final List<String> CODE = List.of(
      "public static void main(String[] args) {\n    System.out.println(\"Hello, world!\");\n}\n",
      "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n",
      "{\"role\": \"user\", \"content\": \"What's the weather in Lyon?\", \"tool_calls\": []}",
      "SELECT id, name FROM users WHERE created_at >= '2024-01-01' ORDER BY id DESC LIMIT 10;\n",
      "const x = arr.map((v, i) => v * i).filter(Boolean); // 0x1F600\n",
      "<div class=\"container\"><p>Hello &amp; goodbye</p></div>\r\n",
      "#include <stdio.h>\nint main(void){printf(\"%d\\n\", 42);return 0;}\n",
      "$ curl -sS https://api.example.com/v1/chat/completions -H 'Authorization: Bearer sk-...'\n",
      "fn main() { let v: Vec<u8> = vec![1, 2, 3]; println!(\"{:?}\", v); }\n",
      "if (a && b || !c) { x += 1; } else if (y != z) { y >>= 2; }\n");

  static final List<String> EMOJI = List.of(
      "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🧑🏿‍💻", "❤️", "🇫🇷", "😀", "🤷‍♀️", "🫠", "👩‍❤️‍💋‍👨", "1️⃣", "🐈‍⬛");

  /** A text of up to {@code pieces} fragments, each from one of the families a tokenizer treats differently. */
  static Arbitrary<String> mixedUnicode(int pieces) {
    return Arbitraries.oneOf(List.of(
        anyCodePoints(),
        combiningSequences(),
        cjk(),
        emoji(),
        runOf(WHITESPACE, 1, 8),
        runOf(DIGITS, 1, 9),
        contractions(),
        words(),
        runOf(PUNCTUATION, 1, 6),
        Arbitraries.of(PROSE),
        Arbitraries.of(CODE))).list().ofMaxSize(pieces).map(parts -> String.join("", parts));
  }

  /** Prose and code as they come in prompts, with a few random fragments spliced in. */
  static Arbitrary<String> proseAndCode() {
    return Arbitraries.oneOf(List.of(
        Arbitraries.of(PROSE), Arbitraries.of(PROSE), Arbitraries.of(CODE), Arbitraries.of(CODE),
        words(), runOf(WHITESPACE, 1, 4), runOf(DIGITS, 1, 6))).list().ofMinSize(1).ofMaxSize(24)
        .map(parts -> String.join("", parts));
  }

  static Arbitrary<String> ascii() {
    return Arbitraries.strings().ascii().ofMaxLength(200);
  }

  /** Code points from every plane, surrogates included (unpaired ones are made well-formed before counting). */
  static Arbitrary<String> anyCodePoints() {
    return Arbitraries.oneOf(List.of(
        Arbitraries.integers().between(0, 0x10ffff),
        Arbitraries.integers().between(0, 0x2fff),
        Arbitraries.integers().between(0x1f000, 0x1faff),
        Arbitraries.integers().between(0x20000, 0x323af),
        Arbitraries.integers().between(0xe0000, 0xe01ef))).list().ofMinSize(1).ofMaxSize(8)
        .map(TextArbitraries::fromCodePoints);
  }

  static Arbitrary<String> combiningSequences() {
    Arbitrary<String> base = Arbitraries.of("a", "e", "o", "A", "n", "क", "ก", "ا", " ", "1", "'", "'s");
    Arbitrary<String> marks = Arbitraries.integers().between(0x300, 0x36f).list().ofMinSize(1).ofMaxSize(4)
        .map(TextArbitraries::fromCodePoints);
    Arbitrary<String> other = Arbitraries.of("\u0903", "\u093f", "\u0e31", "\u0651", "\u20dd", "\u1ab0", "\ufe0f");
    return Arbitraries.oneOf(List.of(marks, other)).list().ofMinSize(1).ofMaxSize(3)
        .flatMap(m -> base.map(b -> b + String.join("", m)));
  }

  static Arbitrary<String> cjk() {
    return Arbitraries.oneOf(List.of(Arbitraries.integers().between(0x4e00, 0x9fff),
        Arbitraries.integers().between(0x3040, 0x30ff), Arbitraries.integers().between(0xac00, 0xd7a3)))
        .list().ofMinSize(1).ofMaxSize(12).map(TextArbitraries::fromCodePoints);
  }

  static Arbitrary<String> emoji() {
    Arbitrary<String> single = Arbitraries.integers().between(0x1f300, 0x1faff).map(Character::toString);
    Arbitrary<String> joined = single.list().ofMinSize(2).ofMaxSize(4).map(l -> String.join("\u200d", l));
    return Arbitraries.oneOf(List.of(Arbitraries.of(EMOJI), single, joined)).list().ofMinSize(1).ofMaxSize(5)
        .map(l -> String.join("", l));
  }

  static Arbitrary<String> contractions() {
    return Arbitraries.of("'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'lL",
        "'d", "'D", "'\u017f", "’s", "'x", "'", "''", "n't", "I'm", "you'LL", "THEY'RE", "it's", "'123");
  }

  static Arbitrary<String> words() {
    return Arbitraries.oneOf(List.of(
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(14),
        Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').ofMinLength(1).ofMaxLength(14),
        Arbitraries.strings().withCharRange('а', 'я').withCharRange('А', 'Я').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withCharRange('α', 'ω').withCharRange('Α', 'Ω').ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withCharRange('\u0600', '\u06ff').ofMinLength(1).ofMaxLength(10),
        Arbitraries.strings().withCharRange('\u0900', '\u097f').ofMinLength(1).ofMaxLength(10),
        Arbitraries.strings().withChars("ǅǈǋǲʰʱˆˇ々ーß").withCharRange('a', 'c').ofMinLength(1).ofMaxLength(8)))
        .map(word -> word);
  }

  static Arbitrary<String> runOf(String chars, int min, int max) {
    int[] codePoints = chars.codePoints().toArray();
    return Arbitraries.of(java.util.Arrays.stream(codePoints).boxed().toList()).list().ofMinSize(min).ofMaxSize(max)
        .map(TextArbitraries::fromCodePoints);
  }

  /**
   * One piece of 500 bytes or more (counted by the long-piece merge): letters of a small alphabet, so that
   * many pairs share a rank and overlap, or runs of punctuation, CJK or emoji.
   */
  static Arbitrary<String> longPiece() {
    return Arbitraries.oneOf(List.of(
        Arbitraries.strings().withChars("ab").ofMinLength(500).ofMaxLength(3000),
        Arbitraries.strings().withChars("aeinrst").ofMinLength(500).ofMaxLength(3000),
        Arbitraries.strings().withChars("aAbB").ofMinLength(500).ofMaxLength(2000),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(500).ofMaxLength(3000),
        Arbitraries.of(PROSE).list().ofMinSize(30).ofMaxSize(60)
            .map(l -> String.join("", l).replaceAll("[^\\p{L}]", "")),
        runOf(PUNCTUATION, 500, 1500),
        runOf("=-*#.", 500, 2000),
        Arbitraries.integers().between(0x4e00, 0x4eff).list().ofMinSize(170).ofMaxSize(800)
            .map(TextArbitraries::fromCodePoints),
        emoji().list().ofMinSize(40).ofMaxSize(120).map(l -> String.join("", l)),
        runOf(WHITESPACE, 500, 2000)));
  }

  static String fromCodePoints(List<Integer> codePoints) {
    StringBuilder text = new StringBuilder();
    codePoints.forEach(text::appendCodePoint);
    return text.toString();
  }
}
