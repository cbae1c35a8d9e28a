package io.reliapi.config;

import java.net.URI;
import java.util.Optional;

/**
 * One deployment of a target: a base URL and credential the target's requests may be sent to, among its
 * siblings. The file's defaults are resolved when it is read: {@code base_url} and {@code auth} are the
 * target's where the deployment does not set them.
 *
 * @param weight its share of the target's requests against its siblings' weights
 * @param model  the model sent to this deployment instead of the one asked for (an Azure deployment name,
 *               say); LLM targets only
 * @param llm    the target's {@code llm} block as an attempt sent to this deployment uses it, held to OpenAI's own
 *               limits by this deployment's URL ({@link LlmConfig#sentTo}); resolved once, when the file is read
 */
public record DeploymentConfig(String name, URI baseUrl, Optional<AuthConfig> auth, int weight,
    Optional<String> model, Optional<LlmConfig> llm) {

  public static final int DEFAULT_WEIGHT = 1;

  /** Returns this deployment with the target's {@code llm} block as sent to it. */
  public DeploymentConfig sending(Optional<LlmConfig> targetLlm) {
    return new DeploymentConfig(name, baseUrl, auth, weight, model, targetLlm.map(llm -> llm.sentTo(baseUrl)));
  }
}
