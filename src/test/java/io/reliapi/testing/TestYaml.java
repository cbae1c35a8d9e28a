package io.reliapi.testing;

/** Lines of gateway YAML that many test configs share, each written once here. */
public final class TestYaml {
  /**
   * A target's one-line retry matrix of one attempt for every class, so a test counts exactly the upstream calls
   * it caused: written as a line of a target (no line break of its own), in a text block through {@code formatted}.
   */
  public static final String NO_RETRIES =
      "retry_matrix: {\"429\": {attempts: 1}, \"5xx\": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}";

  /**
   * {@link #NO_RETRIES} and no circuit breaker, as a target's lines ending in a line break (to concatenate, or
   * {@code indent} under a target): every request makes exactly one attempt, however the earlier ones ended.
   */
  public static final String ONE_ATTEMPT = NO_RETRIES + "\ncircuit: {enabled: false}\n";

  private TestYaml() {}

  /**
   * A whole gateway config on the Redis at {@code redisUrl} with one target {@code api} at {@code baseUrl} making one
   * attempt per request ({@link #ONE_ATTEMPT}), and {@code targetLines} (its idempotency block, say) added to it.
   */
  public static String redisGateway(String redisUrl, String baseUrl, String targetLines) {
    return """
        server: {drain_timeout_ms: 0}
        redis: {url: "%s"}
        targets:
          api:
            base_url: "%s"
        """.formatted(redisUrl, baseUrl) + (ONE_ATTEMPT + targetLines).indent(4);
  }
}
