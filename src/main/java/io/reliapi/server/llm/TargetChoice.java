package io.reliapi.server.llm;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.server.Fields;
import io.reliapi.server.Targets;

/**
 * Which target an LLM request of the OpenAI-style routes goes to, and the model it names there (SPEC §2.4):
 * the {@code X-ReliAPI-Target} header if sent (a prefix naming that same target is removed from the model),
 * else the part of {@code model} before the first {@code /} when it names a configured target, else
 * {@code default_llm_target}.
 */
public record TargetChoice(TargetConfig target, String model) {

  public static TargetChoice of(String model, String targetHeader, GatewayConfig config) {
    TargetConfig target;
    int slash = model.indexOf('/');
    String prefix = slash > 0 ? model.substring(0, slash) : null;
    String named = model;
    if (targetHeader != null) {
      target = Targets.find(config, targetHeader);
      if (target.name().equals(prefix)) {
        named = model.substring(slash + 1);
      }
    } else if (prefix != null && config.target(prefix).isPresent()) {
      target = config.target(prefix).get();
      named = model.substring(slash + 1);
    } else {
      target = config.defaultLlmTarget().flatMap(config::target).orElseThrow(() -> Fields.invalid(
          "No LLM target chosen: send X-ReliAPI-Target, prefix the model with a target name, or configure "
              + "default_llm_target."));
    }
    return new TargetChoice(target, named);
  }
}
