package io.reliapi.llm.cost;

import static java.lang.Character.DECIMAL_DIGIT_NUMBER;
import static java.lang.Character.LETTER_NUMBER;
import static java.lang.Character.LOWERCASE_LETTER;
import static java.lang.Character.MODIFIER_LETTER;
import static java.lang.Character.OTHER_LETTER;
import static java.lang.Character.OTHER_NUMBER;
import static java.lang.Character.TITLECASE_LETTER;
import static java.lang.Character.UPPERCASE_LETTER;

import java.util.Arrays;

/**
 * cl100k_base's pre-tokenisation, tiktoken's pattern
 * {@code '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+}
 * as a hand-written scanner. It follows jtokkit 1.1.0's {@code Cl100kParser} (MIT licence) rule for rule,
 * including its character classes (which decide, for instance, that {@code ſ} is an {@code s}), so that
 * counts equal jtokkit's; it reports char ranges instead of copying each piece's bytes.
 */
final class Cl100kPieces implements Pieces {
  private static final String SDTM = "sdtmSDTM\u017f";
  private static final String SIMPLE_WHITESPACES = "\t\n\u000B\u000C\r";
  private static final int[] REMAINING_WHITESPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000"
      .codePoints().sorted().toArray();

  @Override
  public void split(String input, Sink sink) {
    int length = input.length();
    for (int endIndex = 0; endIndex < length; ) {
      int startIndex = endIndex;
      int c0 = input.codePointAt(startIndex);
      int cc0 = Character.charCount(c0);
      int nextIndex = startIndex + cc0;
      int c1 = nextIndex < length ? input.codePointAt(nextIndex) : -1;

      if (c0 == '\'' && c1 > 0) {
        if (isShortContraction(c1)) {
          endIndex += 2;
          sink.piece(input, startIndex, endIndex);
          continue;
        } else if (startIndex + 2 < length && isLongContraction(c1, input.codePointAt(startIndex + 2))) {
          endIndex += 3;
          sink.piece(input, startIndex, endIndex);
          continue;
        }
      }

      int cc1 = Character.charCount(c1);
      if ((isNotNewlineOrLetterOrNumeric(c0) && isLetter(c1)) || isLetter(c0)) {
        // [^\r\n\p{L}\p{N}]?+\p{L}+: a word and the one character before it
        endIndex += cc0;
        if (isLetter(c1)) {
          endIndex += cc1;
          while (endIndex < length && isLetter(c0 = input.codePointAt(endIndex))) {
            endIndex += Character.charCount(c0);
          }
        }
        sink.piece(input, startIndex, endIndex);
      } else if (isNumeric(c0)) {
        // \p{N}{1,3}
        endIndex += cc0;
        if (isNumeric(c1)) {
          endIndex += cc1;
          if (endIndex < length && isNumeric(c0 = input.codePointAt(endIndex))) {
            endIndex += Character.charCount(c0);
          }
        }
        sink.piece(input, startIndex, endIndex);
      } else if (isNotWhitespaceOrLetterOrNumeric(c0) || (c0 == ' ' && isNotWhitespaceOrLetterOrNumeric(c1))) {
        // ' ?[^\s\p{L}\p{N}]++[\r\n]*': punctuation and the line endings after it
        endIndex += cc0;
        if (endIndex < length && isNotWhitespaceOrLetterOrNumeric(c1)) {
          endIndex += cc1;
          while (endIndex < length && isNotWhitespaceOrLetterOrNumeric(c0 = input.codePointAt(endIndex))) {
            endIndex += Character.charCount(c0);
          }
        }
        while (endIndex < length && isNewline(input.codePointAt(endIndex))) {
          endIndex++;
        }
        sink.piece(input, startIndex, endIndex);
      } else {
        // \s*[\r\n], \s+(?!\S), \s+: whitespace up to its last line ending, then all but the space before a word
        int lastNewLineIndex = isNewline(c0) ? endIndex : -1;
        endIndex += cc0;
        if (isWhitespace(c1)) {
          lastNewLineIndex = isNewline(c1) ? endIndex : lastNewLineIndex;
          endIndex += cc1;
          while (endIndex < length && isWhitespace(c0 = input.codePointAt(endIndex))) {
            lastNewLineIndex = isNewline(c0) ? endIndex : lastNewLineIndex;
            endIndex += Character.charCount(c0);
          }
        }
        if (lastNewLineIndex > -1) {
          int finalEndIndex = endIndex;
          endIndex = lastNewLineIndex + 1;
          if (endIndex < finalEndIndex) {
            sink.piece(input, startIndex, endIndex);
            startIndex = endIndex;
            endIndex = finalEndIndex;
          }
        }
        if (lastNewLineIndex + 1 < endIndex && !isWhitespace(c0)) {
          endIndex--;
        }
        if (startIndex < endIndex) {
          sink.piece(input, startIndex, endIndex);
        }
      }
    }
  }

  private static boolean isShortContraction(int ch) {
    return SDTM.indexOf(ch) >= 0;
  }

  private static boolean isLongContraction(int ch1, int ch2) {
    if ((ch1 == 'l' && ch2 == 'l') || (ch1 == 'v' && ch2 == 'e') || (ch1 == 'r' && ch2 == 'e')) {
      return true;
    }
    int upper1 = Character.toUpperCase(ch1);
    int upper2 = Character.toUpperCase(ch2);
    return (upper1 == 'L' && upper2 == 'L') || (upper1 == 'V' && upper2 == 'E') || (upper1 == 'R' && upper2 == 'E');
  }

  static boolean isLetter(int ch) {
    if (ch < 0xaa) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }
    if (ch <= 0x323af) {
      return switch (Character.getType(ch)) {
        case UPPERCASE_LETTER, LOWERCASE_LETTER, TITLECASE_LETTER, MODIFIER_LETTER, OTHER_LETTER -> true;
        default -> false;
      };
    }
    return false;
  }

  static boolean isNumeric(int ch) {
    if (ch < 0xb2) {
      return ch >= '0' && ch <= '9';
    }
    if (ch <= 0x1fbf9) {
      return switch (Character.getType(ch)) {
        case DECIMAL_DIGIT_NUMBER, LETTER_NUMBER, OTHER_NUMBER -> true;
        default -> false;
      };
    }
    return false;
  }

  private static boolean isLetterOrNumeric(int ch) {
    if (ch < 0xaa) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }
    if (ch <= 0x323af) {
      return switch (Character.getType(ch)) {
        case UPPERCASE_LETTER, LOWERCASE_LETTER, TITLECASE_LETTER, MODIFIER_LETTER, OTHER_LETTER,
            DECIMAL_DIGIT_NUMBER, LETTER_NUMBER, OTHER_NUMBER -> true;
        default -> false;
      };
    }
    return false;
  }

  static boolean isWhitespace(int ch) {
    if (ch <= '\r') {
      return SIMPLE_WHITESPACES.indexOf(ch) >= 0;
    }
    if (ch < '\u0085') {
      return ch == ' ';
    }
    return ch == '\u0085' || ch == '\u00A0'
        || (ch >= '\u1680' && ch <= '\u3000' && Arrays.binarySearch(REMAINING_WHITESPACES, ch) >= 0);
  }

  private static boolean isNewline(int ch) {
    return ch == '\r' || ch == '\n';
  }

  private static boolean isNotWhitespaceOrLetterOrNumeric(int ch) {
    if (ch < '0') {
      return ch >= 0 && ch != ' ' && (ch > '\r' || ch < '\t');
    }
    return !isLetterOrNumeric(ch) && !isWhitespace(ch);
  }

  private static boolean isNotNewlineOrLetterOrNumeric(int ch) {
    if (ch < '0') {
      return ch >= 0 && (ch == ' ' || !isNewline(ch));
    }
    return !isLetterOrNumeric(ch);
  }
}
