package io.reliapi.policy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetPeriod;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which budgets an attempt spends from, as a plain function of the config. */
class BudgetAccountsTest {
  private static final GatewayConfig CONFIG = ConfigLoader.parse("""
      clients:
        - {name: team, key_env: TEAM_KEY, budget: {monthly_usd: 50}}
        - {name: free, key_env: FREE_KEY}
      targets:
        openai:
          base_url: https://api.openai.com/v1
          llm: {provider: openai, default_model: gpt-4o-mini, budget: {daily_usd: 10, monthly_usd: 200}}
        plain: {base_url: https://api.example.com}
      """, name -> "secret-" + name);

  @Test
  void anAttemptSpendsFromItsTargetsAndItsClientsBudgets() {
    var accounts = BudgetAccounts.of(CONFIG.clients().stream().filter(c -> c.name().equals("team")).findFirst(),
        CONFIG.target("openai").orElseThrow());
    assertThat(accounts).containsExactly(
        new BudgetAccount("target:openai", BudgetPeriod.DAY, 10),
        new BudgetAccount("target:openai", BudgetPeriod.MONTH, 200),
        new BudgetAccount("client:team", BudgetPeriod.MONTH, 50));
  }

  @Test
  void withoutBudgetsThereIsNothingToSpendFrom() {
    assertThat(BudgetAccounts.of(CONFIG.clients().stream().filter(c -> c.name().equals("free")).findFirst(),
        CONFIG.target("plain").orElseThrow())).isEmpty();
  }

  @Test
  void retryAfterIsTheWholeSecondsUntilThePeriodEnds() {
    long now = Instant.parse("2026-11-27T23:59:58.500Z").toEpochMilli();
    long midnight = BudgetPeriod.DAY.endsAtMillis(now);
    assertThat(BudgetAccounts.retryAfterS(midnight, now)).isEqualTo(2);
    assertThat(BudgetAccounts.retryAfterS(now, now)).isEqualTo(1);
  }
}
