package io.reliapi.policy.budget;

import io.reliapi.config.BudgetConfig;
import io.reliapi.config.ClientConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetPeriod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which period budgets one LLM attempt spends from (SPEC §3.5): its target's {@code llm.budget} and its
 * client's {@code budget}, each per UTC day and/or month. A pure function of the config.
 */
public final class BudgetAccounts {
  private BudgetAccounts() {}

  /** Returns the accounts an attempt of {@code client} on {@code target} is charged to; empty when none. */
  public static List<BudgetAccount> of(Optional<ClientConfig> client, TargetConfig target) {
    List<BudgetAccount> accounts = new ArrayList<>(4);
    target.llm().flatMap(LlmConfig::budget).ifPresent(b -> add(accounts, "target:" + target.name(), b));
    client.ifPresent(c -> c.budget().ifPresent(b -> add(accounts, "client:" + c.name(), b)));
    return accounts;
  }

  /** Returns the accounts of {@code target}'s own {@code llm.budget}; empty when it has none. */
  public static List<BudgetAccount> ofTarget(TargetConfig target) {
    return of(Optional.empty(), target);
  }

  /** Returns the accounts of {@code client}'s {@code budget}; empty when it has none. */
  public static List<BudgetAccount> ofClient(ClientConfig client) {
    List<BudgetAccount> accounts = new ArrayList<>(2);
    client.budget().ifPresent(b -> add(accounts, "client:" + client.name(), b));
    return accounts;
  }

  /** Returns whole seconds until {@code resetsAtMillis}, rounded up, at least 1. */
  public static long retryAfterS(long resetsAtMillis, long nowMillis) {
    return Math.max(1, (resetsAtMillis - nowMillis + 999) / 1000);
  }

  private static void add(List<BudgetAccount> accounts, String name, BudgetConfig budget) {
    budget.dailyUsd().ifPresent(usd -> accounts.add(new BudgetAccount(name, BudgetPeriod.DAY, usd)));
    budget.monthlyUsd().ifPresent(usd -> accounts.add(new BudgetAccount(name, BudgetPeriod.MONTH, usd)));
  }
}
