package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which end-user ids cross a translation as written, as a hash, or not at all. */
class UserIdsTest {
  @Test
  void anIdEachSideTakesGoesAsWritten() {
    assertThat(UserIds.forAnthropic("user_42-a")).contains("user_42-a");
    assertThat(UserIds.forOpenAi("user_42-a")).contains("user_42-a");
  }

  @Test
  void anIdTheProviderWouldRefuseGoesAsItsHash() {
    String claudeCode = "user_" + "a".repeat(64) + "_account__session_" + "b".repeat(36);
    assertThat(UserIds.forOpenAi(claudeCode)).hasValueSatisfying(id -> assertThat(id).hasSize(64).isHexadecimal());
    assertThat(UserIds.forAnthropic("team/alice")).hasValueSatisfying(id -> assertThat(id).hasSize(64));
    assertThat(UserIds.forAnthropic("team/alice")).isEqualTo(UserIds.forAnthropic("team/alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice@example.com", "+1 415-555-0132", "+44 (20) 7946 0958", "(415) 555.0132",
      "+4915123456789"})
  void anEmailOrAPhoneNumberIsLeftOutRatherThanHashed(String personal) {
    assertThat(UserIds.forAnthropic(personal)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"order 12345", "1.2.3", "+12", "2026-12-07 17:00:00.123456"})
  void otherIdsWithThoseCharactersAreHashed(String id) {
    assertThat(UserIds.forAnthropic(id)).hasValueSatisfying(hash -> assertThat(hash).hasSize(64));
  }
}
