package io.reliapi.server.llm;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.server.Fields;
import io.reliapi.server.Targets;

/**
 * The target an OpenAI-style request goes to and the model it asks for there (SPEC §2.4), the same on every
 * {@code /v1} route: the {@code X-ReliAPI-Target} header if sent (a {@code target/} prefix naming that same
 * target is removed from the model), else the part of {@code model} before the first {@code /} when it names a
 * configured target (and is removed), else {@code default_llm_target}.
 */
public record ModelTarget(TargetConfig target, String model) {

  public static ModelTarget of(String model, String targetHeader, GatewayConfig config) {
    int slash = model.indexOf('/');
    String prefix = slash > 0 ? model.substring(0, slash) : null;
    if (targetHeader != null) {
      TargetConfig target = Targets.find(config, targetHeader);
      return new ModelTarget(target, target.name().equals(prefix) ? model.substring(slash + 1) : model);
    }
    if (prefix != null && config.target(prefix).isPresent()) {
      return new ModelTarget(config.target(prefix).get(), model.substring(slash + 1));
    }
    TargetConfig target = config.defaultLlmTarget().flatMap(config::target).orElseThrow(() -> Fields.invalid(
        "No LLM target chosen: send X-ReliAPI-Target, prefix the model with a target name, or configure "
            + "default_llm_target."));
    return new ModelTarget(target, model);
  }
}
