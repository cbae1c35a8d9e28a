package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many recent requests {@code GET /admin/requests?limit=} answers with. */
class AdminReadsTest {

  @Test
  void withoutALimitItAnswersAHundred() {
    assertThat(AdminReads.limit(null)).isEqualTo(100);
  }

  @Test
  void aLimitThatIsNotANumberCountsAsNone() {
    assertThat(AdminReads.limit("all")).isEqualTo(100);
    assertThat(AdminReads.limit("")).isEqualTo(100);
  }

  @Test
  void aLimitIsKeptBetweenOneAndTenThousand() {
    assertThat(AdminReads.limit("0")).isEqualTo(1);
    assertThat(AdminReads.limit("-5")).isEqualTo(1);
    assertThat(AdminReads.limit("25")).isEqualTo(25);
    assertThat(AdminReads.limit("99999")).isEqualTo(10_000);
  }
}
