package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Our counter gives exactly jtokkit's {@code countTokensOrdinary}, for both encodings, over random Unicode
 * from every plane, ASCII, prose and code, and long pieces (the O(n log n) merge). jtokkit is the oracle.
 */
class TokenEncodingPropertiesTest {
  static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();
  static final Encoding JTOKKIT_CL100K = JTOKKIT.getEncoding(EncodingType.CL100K_BASE);
  static final Encoding JTOKKIT_O200K = JTOKKIT.getEncoding(EncodingType.O200K_BASE);
  static final TokenEncoding CL100K = TokenEncoding.load("cl100k_base");
  static final TokenEncoding O200K = TokenEncoding.load("o200k_base");

  static void countsAsJtokkit(String raw) {
    String text = TextTokens.wellFormed(raw);
    assertThat(CL100K.count(text)).as("cl100k_base of %s", escaped(text))
        .isEqualTo(JTOKKIT_CL100K.countTokensOrdinary(text));
    assertThat(O200K.count(text)).as("o200k_base of %s", escaped(text))
        .isEqualTo(JTOKKIT_O200K.countTokensOrdinary(text));
  }

  @Property(tries = 4000)
  void countsRandomUnicodeAsJtokkit(@ForAll("mixedUnicode") String text) {
    countsAsJtokkit(text);
  }

  @Property(tries = 2000)
  void countsRandomAsciiAsJtokkit(@ForAll("ascii") String text) {
    countsAsJtokkit(text);
  }

  @Property(tries = 2000)
  void countsProseAndCodeAsJtokkit(@ForAll("proseAndCode") String text) {
    countsAsJtokkit(text);
  }

  @Property(tries = 400)
  void countsLongPiecesAsJtokkit(@ForAll("longPiece") String text) {
    countsAsJtokkit(text);
  }

  @Provide
  Arbitrary<String> mixedUnicode() {
    return TextArbitraries.mixedUnicode(30);
  }

  @Provide
  Arbitrary<String> ascii() {
    return TextArbitraries.ascii();
  }

  @Provide
  Arbitrary<String> proseAndCode() {
    return TextArbitraries.proseAndCode();
  }

  @Provide
  Arbitrary<String> longPiece() {
    return TextArbitraries.longPiece();
  }

  static String escaped(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().limit(400).forEach(cp -> {
      if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') {
        out.append((char) cp);
      } else {
        out.append(String.format("\\u{%x}", cp));
      }
    });
    return out.append(text.codePointCount(0, text.length()) > 400 ? "...\"" : "\"").toString();
  }
}
