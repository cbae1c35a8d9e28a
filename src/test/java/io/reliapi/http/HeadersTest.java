package io.reliapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header names are one rule: whatever their capitalisation, they match. */
class HeadersTest {
  private static final Headers ODD = Headers.of("RETRY-AFTER", "1", "x-RateLimit-Remaining", "0",
      "Content-Type", "application/json", "Set-Cookie", "a=b");

  @Test
  void findsAFieldWhateverTheCapitalisationOfEitherName() {
    assertThat(ODD.get("Retry-After")).isEqualTo("1");
    assertThat(ODD.get("retry-after")).isEqualTo("1");
    assertThat(ODD.all("X-RATELIMIT-REMAINING")).containsExactly("0");
    assertThat(ODD.contains("set-cookie")).isTrue();
  }

  @Test
  void asksPredicatesAboutLowerCaseNames() {
    List<String> asked = new ArrayList<>();
    ODD.without(name -> asked.add(name) && false);
    assertThat(asked).containsExactly("retry-after", "x-ratelimit-remaining", "content-type", "set-cookie");
  }

  @Test
  void keepsAndDropsByLowerCaseRulesWhileNamesOnTheWireStayAsTheyCame() {
    Headers kept = ODD.only(name -> name.equals("retry-after") || name.startsWith("x-ratelimit-"));
    List<String> names = new ArrayList<>();
    kept.forEach((name, value) -> names.add(name));
    assertThat(names).containsExactly("RETRY-AFTER", "x-RateLimit-Remaining");
    assertThat(ODD.without(name -> name.equals("content-type")).contains("Content-Type")).isFalse();
  }

  @Test
  void replacesAFieldWrittenInAnotherCapitalisation() {
    Headers replaced = ODD.with("Retry-After", "5");
    assertThat(replaced.all("retry-after")).containsExactly("5");
    assertThat(replaced.size()).isEqualTo(ODD.size());
  }

  @Test
  void joinsRepeatedFieldsUnderOneLowerCaseName() {
    assertThat(Headers.of("Vary", "Accept", "VARY", "X-Variant").toLowerCaseMap())
        .containsExactly(java.util.Map.entry("vary", "Accept, X-Variant"));
  }
}
