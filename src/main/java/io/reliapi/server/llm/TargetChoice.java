package io.reliapi.server.llm;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.server.Fields;
import io.reliapi.server.Inbound;
import io.reliapi.server.Targets;

/**
 * The target of a request on an LLM protocol route and the model it asks that target for (SPEC §2.4):
 * {@code X-ReliAPI-Target} if sent, else the part of {@code model} before the first {@code /} when it names a
 * configured target, else {@code default_llm_target}. A prefix naming the chosen target is removed from the model.
 */
public record TargetChoice(TargetConfig target, String model) {

  /** Chooses for {@code model} and the {@code X-ReliAPI-Target} header (null when absent); records the target. */
  public static TargetChoice of(String model, String targetHeader, GatewayConfig config, Inbound in) {
    TargetConfig target;
    int slash = model.indexOf('/');
    String prefix = slash > 0 ? model.substring(0, slash) : null;
    String asked = model;
    if (targetHeader != null) {
      target = Targets.find(config, targetHeader);
      if (target.name().equals(prefix)) {
        asked = model.substring(slash + 1);
      }
    } else if (prefix != null && config.target(prefix).isPresent()) {
      target = config.target(prefix).get();
      asked = model.substring(slash + 1);
    } else {
      target = config.defaultLlmTarget().flatMap(config::target).orElseThrow(() -> Fields.invalid(
          "No LLM target chosen: send X-ReliAPI-Target, prefix the model with a target name, or configure "
              + "default_llm_target."));
    }
    in.trace().answeredBy(target.name());
    LlmRequests.llm(target);
    if (asked.isEmpty()) {
      throw Fields.invalid("Field 'model' must name a model after the target prefix.");
    }
    return new TargetChoice(target, asked);
  }
}
