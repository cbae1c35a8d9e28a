package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status page's sessions: lifetime, end, keys gone, and the bound on how many are kept. */
class SessionsTest {
  private final Sessions sessions = new Sessions();

  @Test
  void aSessionNamesItsKeyUntilItExpiresOrEnds() {
    String token = sessions.open("k", 0, 100);
    assertThat(token).hasSize(64).isNotEqualTo(sessions.open("k", 0, 100));
    assertThat(sessions.key(token, 100)).isEqualTo("k");
    assertThat(sessions.key(token, 101)).isNull();
    assertThat(sessions.key(token, 50)).as("an expired session is forgotten").isNull();
    String other = sessions.open("k", 0, 100);
    sessions.end(other);
    assertThat(sessions.key(other, 0)).isNull();
    assertThat(sessions.key("no-such-token", 0)).isNull();
    assertThat(sessions.key(null, 0)).isNull();
  }

  @Test
  void sessionsOfAKeyThatIsGoneAreForgotten() {
    String a = sessions.open("a", 0, 100);
    String b = sessions.open("b", 0, 100);
    sessions.keepOnly("a"::equals);
    assertThat(sessions.key(a, 0)).isEqualTo("a");
    assertThat(sessions.key(b, 0)).isNull();
  }

  @Test
  void pastTheBoundTheSessionThatWouldExpireFirstGoes() {
    String first = sessions.open("k", 0, 10);
    for (int i = 1; i < Sessions.MAX; i++) {
      sessions.open("k", 0, 1000 + i);
    }
    assertThat(sessions.size()).isEqualTo(Sessions.MAX);
    String last = sessions.open("k", 0, 5000);
    assertThat(sessions.size()).isEqualTo(Sessions.MAX);
    assertThat(sessions.key(first, 0)).isNull();
    assertThat(sessions.key(last, 0)).isEqualTo("k");
    // Expired ones go before any live one: the four that ended before 1005 make room for the new one and three more.
    sessions.open("k", 1005, 9000);
    assertThat(sessions.size()).isEqualTo(Sessions.MAX - 3);
  }
}
