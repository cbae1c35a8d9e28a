package io.reliapi.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.circuit.TargetBreaker;
import io.reliapi.store.DeploymentStates;
import java.io.IOException;

/** Writes a target's {@code deployments} in the admin API: each one's weight, state, cooldown, ejection and breaker. */
final class DeploymentView {
  private DeploymentView() {}

  /**
   * Writes the list; {@code state} is the first that applies of ejected, cooling_down, open (its breaker),
   * half_open and in_service.
   */
  static void write(JsonGenerator out, TargetConfig target, CircuitBreakers breakers, DeploymentStates states,
      long nowEpochMillis) throws IOException {
    out.writeArrayFieldStart("deployments");
    for (DeploymentConfig deployment : target.deployments()) {
      String ejection = states.ejection(target.name(), deployment.name());
      long coolingMs = Math.max(0, states.coolingUntil(target.name(), deployment.name()) - nowEpochMillis);
      TargetBreaker breaker = breakers.of(target.name(), deployment.name()).orElse(null);
      String breakerState = breaker == null ? "closed" : breaker.state();
      out.writeStartObject();
      out.writeStringField("name", deployment.name());
      out.writeNumberField("weight", deployment.weight());
      out.writeStringField("model", deployment.model().orElse(null));
      out.writeStringField("state", ejection != null ? "ejected" : coolingMs > 0 ? "cooling_down"
          : breakerState.equals("closed") ? "in_service" : breakerState);
      if (coolingMs > 0) {
        out.writeNumberField("cooldown_left_s", (coolingMs + 999) / 1000);
      } else {
        out.writeNullField("cooldown_left_s");
      }
      out.writeStringField("ejected", ejection);
      AdminViews.breaker(out, breaker);
      out.writeEndObject();
    }
    out.writeEndArray();
  }
}
