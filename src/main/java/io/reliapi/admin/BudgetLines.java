package io.reliapi.admin;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.policy.budget.BudgetAccounts;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetPeriod;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** The period budgets of the config with what each has spent (reservations included) and has left now. */
final class BudgetLines {
  private BudgetLines() {}

  /**
   * One budget in its current period.
   *
   * @param owner {@code target} or {@code client}
   */
  record Line(String owner, String name, String period, double limitUsd, double spentUsd, long resetsAtMillis) {
    double leftUsd() {
      return Math.max(0, limitUsd - spentUsd);
    }
  }

  /** Reads every budget's spending from {@code ledger}; a budget the ledger cannot answer for is left out. */
  static Future<List<Line>> read(GatewayConfig config, BudgetLedger ledger, long nowMillis) {
    List<Future<Line>> lines = new ArrayList<>();
    for (TargetConfig target : config.targets().values()) {
      BudgetAccounts.ofTarget(target).forEach(a -> lines.add(line("target", target.name(), a, ledger, nowMillis)));
    }
    for (ClientConfig client : config.clients()) {
      BudgetAccounts.ofClient(client).forEach(a -> lines.add(line("client", client.name(), a, ledger, nowMillis)));
    }
    return Future.join(lines).transform(done -> {
      List<Line> out = new ArrayList<>();
      for (Future<Line> line : lines) {
        if (line.succeeded()) {
          out.add(line.result());
        }
      }
      return Future.succeededFuture(out);
    });
  }

  private static Future<Line> line(String owner, String name, BudgetAccount account, BudgetLedger ledger,
      long nowMillis) {
    return ledger.spentUsd(account).map(spent -> new Line(owner, name,
        account.period() == BudgetPeriod.DAY ? "day" : "month", account.limitUsd(), spent,
        account.period().endsAtMillis(nowMillis)));
  }
}
