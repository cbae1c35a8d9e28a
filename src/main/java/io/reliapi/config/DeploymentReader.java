package io.reliapi.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what spreads a target's load: its {@code deployments} (defaults resolved from the target),
 * {@code deployment_cooldown_s} and {@code hedge}.
 */
final class DeploymentReader {
  private DeploymentReader() {}

  /**
   * Reads {@code targets.<t>.deployments}; {@code targetBase} is empty when the target has no {@code base_url}
   * of its own, so every deployment must name one.
   */
  static List<DeploymentConfig> deployments(Node node, Optional<URI> targetBase, Optional<AuthConfig> targetAuth,
      boolean llm) {
    List<DeploymentConfig> out = new ArrayList<>();
    if (!node.present()) {
      return out;
    }
    List<Node> items = node.items();
    if (items.isEmpty() && node.present()) {
      node.problem("must list at least one deployment, or be left out");
    }
    Set<String> names = new HashSet<>();
    for (Node item : items) {
      if (!item.mapping(ConfigReader.SCHEMA.get("deployments[]"))) {
        item.problem("must be a mapping with at least a name");
        continue;
      }
      Node nameNode = item.field("name");
      String name = nameNode.requiredText();
      if (!name.isEmpty() && !ConfigReader.NAME.matcher(name).matches()) {
        nameNode.problem("deployment names use only letters, digits, '_' and '-' (at most 64)");
      } else if (!names.add(name)) {
        nameNode.problem("deployment names must be unique within their target");
      }
      Node base = item.field("base_url");
      URI baseUrl;
      if (base.present() || targetBase.isEmpty()) {
        baseUrl = TargetReader.baseUrl(base);
      } else {
        baseUrl = targetBase.get();
      }
      Node authNode = item.field("auth");
      Optional<AuthConfig> auth = authNode.present() ? TargetReader.auth(authNode) : targetAuth;
      Node modelNode = item.field("model");
      Optional<String> model = modelNode.present() ? Optional.of(modelNode.requiredText()) : Optional.empty();
      if (model.isPresent() && !llm) {
        modelNode.problem("only applies to a target with an llm block");
      }
      out.add(new DeploymentConfig(name, baseUrl, auth,
          item.field("weight").integer(DeploymentConfig.DEFAULT_WEIGHT, 1, 1000), model, Optional.empty()));
    }
    return out;
  }

  /** Reads {@code deployment_cooldown_s}, which only a target with deployments may set. */
  static long cooldownS(Node node, boolean hasDeployments) {
    if (node.present() && !hasDeployments) {
      node.problem("only applies to a target with deployments");
    }
    return node.integer(TargetConfig.DEFAULT_DEPLOYMENT_COOLDOWN_S, 1, 86_400);
  }

  /** Reads {@code hedge}: exactly one of {@code after_ms} and {@code after_percentile}, and {@code llm}. */
  static Optional<HedgeConfig> hedge(Node node, boolean llmTarget) {
    if (!node.mapping(ConfigReader.SCHEMA.get("hedge"))) {
      return Optional.empty();
    }
    Node ms = node.field("after_ms");
    Node percentile = node.field("after_percentile");
    if (ms.present() == percentile.present()) {
      node.problem("needs exactly one of after_ms and after_percentile");
    }
    Optional<Long> afterMs = ms.present() ? Optional.of(ms.integer(1L, 1, 3_600_000)) : Optional.empty();
    Optional<Double> afterPercentile = percentile.present()
        ? Optional.of(percentile.number(95.0, 1, 99.9)) : Optional.empty();
    Node llm = node.field("llm");
    if (llm.present() && !llmTarget) {
      llm.problem("only applies to a target with an llm block");
    }
    return Optional.of(new HedgeConfig(afterMs, afterPercentile, llm.bool(false)));
  }
}
