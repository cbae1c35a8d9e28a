package io.reliapi.policy.cost;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.cost.ToolFees;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refusals of a call whose cost cannot be bounded before it is made, where a cap or a period budget applies
 * (docs/guides/budget-control.md): a provider-side tool billed per use, OpenAI's priority tier on a model without a
 * priority price. Each is {@code MODEL_PRICE_UNKNOWN} naming the field, and counted by its own budget event.
 */
final class UnpricedRefusals {
  private final GatewayEvents events;

  UnpricedRefusals(GatewayEvents events) {
    this.events = events;
  }

  GatewayException tool(Exchange exchange, ToolFees.Unbounded tool) {
    events.budgetEvent(exchange.target().name(), "unpriced_tool");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("field", tool.field());
    details.put("tool", tool.tool());
    return GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN, "This target has a cost cap or budget, and the "
        + "request's '" + tool.field() + "' (" + tool.tool() + ") is " + tool.why() + ", so the gateway cannot "
        + "bound its cost before the call; remove it, bound it, or use a target without caps and budgets.")
        .withDetails(details);
  }

  /** OpenAI's priority tier bills above the standard price, and the table has no priority price for {@code model}. */
  GatewayException tier(Exchange exchange, String field, String model) {
    events.budgetEvent(exchange.target().name(), "unpriced_tier");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("field", field);
    details.put("service_tier", "priority");
    details.put("model", model);
    return GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN, "This target has a cost cap or budget, and the "
        + "request's '" + field + "' asks for the priority tier, billed above the standard price, which has no known "
        + "price for this model; remove it, or use a target without caps and budgets.").withDetails(details);
  }
}
