package io.reliapi.config;

import io.reliapi.config.RetryMatrix.Backoff;
import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.config.RetryMatrix.RetryRule;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads one entry of {@code targets}. */
final class TargetReader {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Map<String, Backoff> BACKOFFS = Node.words(Map.entry("exp-jitter", Backoff.EXP_JITTER),
      Map.entry("exp", Backoff.EXP), Map.entry("linear", Backoff.LINEAR), Map.entry("constant", Backoff.CONSTANT));

  private static final URI INVALID = URI.create("http://invalid");

  private final String name;
  private final Node n;

  TargetReader(String name, Node n) {
    this.name = name;
    this.n = n;
  }

  TargetConfig read() {
    if (!n.mapping(ConfigReader.SCHEMA.get("targets.*"))) {
      n.problem("must be a mapping with at least base_url");
    }
    Node baseNode = n.field("base_url");
    Node deploymentsNode = n.field("deployments");
    // With deployments listed, the target's own base_url is only their default: they may each name their own.
    Optional<URI> ownBase = baseNode.present() || !deploymentsNode.present()
        ? Optional.of(baseUrl(baseNode)) : Optional.empty();
    Optional<AuthConfig> auth = auth(n.field("auth"));
    long timeout = n.field("timeout_ms").integer(TargetConfig.DEFAULT_TIMEOUT_MS, 1, 3_600_000);
    List<DeploymentConfig> read =
        DeploymentReader.deployments(deploymentsNode, ownBase, auth, n.field("llm").present());
    // Without a base_url of its own, the target's own limits are not OpenAI's; its attempts go where its
    // deployments are, when it has them.
    List<URI> reached = read.isEmpty() ? List.of(ownBase.orElse(INVALID))
        : read.stream().map(DeploymentConfig::baseUrl).toList();
    Optional<LlmConfig> llm = new LlmReader(n.field("llm"), ownBase.orElse(INVALID), reached, timeout).read();
    List<DeploymentConfig> deployments = read.stream().map(d -> d.sending(llm)).toList();
    URI baseUrl = ownBase.orElseGet(() -> deployments.isEmpty() ? INVALID : deployments.get(0).baseUrl());
    long connect = n.field("connect_timeout_ms")
        .integer(Math.min(timeout, TargetConfig.DEFAULT_CONNECT_TIMEOUT_MS), 1, 3_600_000);
    Optional<Long> deadline = optionalInteger(n.field("deadline_ms"), 1, 3_600_000);
    return new TargetConfig(name, baseUrl, timeout, connect, deadline,
        n.field("max_connections").integer(TargetConfig.DEFAULT_MAX_CONNECTIONS, 1, 100_000),
        retry(n.field("retry_matrix")),
        CircuitReader.read(n.field("circuit")),
        cache(n.field("cache")),
        idempotency(n.field("idempotency")),
        auth,
        n.field("fallback_targets").textList(),
        llm,
        streamMaxMs(n.field("stream_max_s")),
        deployments,
        DeploymentReader.cooldownS(n.field("deployment_cooldown_s"), !deployments.isEmpty()),
        DeploymentReader.hedge(n.field("hedge"), llm.isPresent()),
        OverloadReader.retryBudget(n.field("retry_budget")),
        OverloadReader.concurrency(n.field("concurrency")),
        tls(n.field("tls"), ownBase, deployments));
  }

  /** Reads the target's {@code tls} block, which needs an {@code https://} URL to apply to. */
  private static Optional<TargetTls> tls(Node node, Optional<URI> ownBase, List<DeploymentConfig> deployments) {
    Optional<TargetTls> tls = TlsReader.readWithPem(node);
    boolean https = ownBase.filter(TargetReader::https).isPresent()
        || deployments.stream().map(DeploymentConfig::baseUrl).anyMatch(TargetReader::https);
    if (tls.isPresent() && !https) {
      node.problems().add(node.path(), "applies only to https:// URLs, and the target's base_url and deployments are"
          + " all http://");
    }
    return tls;
  }

  private static boolean https(URI url) {
    return "https".equals(url.getScheme());
  }

  private static Optional<Long> optionalInteger(Node node, long min, long max) {
    return node.present() ? Optional.of(node.integer(min, min, max)) : Optional.empty();
  }

  /** Reads {@code stream_max_s}: seconds, fractions allowed, kept in milliseconds. */
  private static Optional<Long> streamMaxMs(Node node) {
    return node.present() ? Optional.of(Math.round(node.number(1.0, 0.001, 86_400) * 1000)) : Optional.empty();
  }

  /**
   * Reads a base URL; a problem repeats it only when it holds no user info or query (where credentials go) and
   * parses, so a wrong URL's secret never reaches the problem lines, the admin API or the status page.
   */
  static URI baseUrl(Node node) {
    URI invalid = INVALID;
    String text = node.requiredText();
    if (text.isEmpty()) {
      return invalid;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      node.problemHidingValue("must be a valid URL");
      return invalid;
    }
    if (uri.getRawUserInfo() != null) {
      node.problemHidingValue("must not carry credentials; use the target's auth block");
      return invalid;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      node.problemHidingValue("must not have a query or fragment");
      return invalid;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      node.problem("must be an absolute http:// or https:// URL with a host");
      return invalid;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static RetryMatrix retry(Node node) {
    Map<ErrorClass, RetryRule> rules = new EnumMap<>(ErrorClass.class);
    boolean written = node.mapping(ConfigReader.SCHEMA.get("retry_matrix"));
    for (ErrorClass errorClass : ErrorClass.values()) {
      RetryRule fallback = RetryMatrix.defaultRule(errorClass);
      Node rule = node.field(errorClass.label());
      if (!written || !rule.mapping(ConfigReader.SCHEMA.get("retry_matrix.*"))) {
        rules.put(errorClass, fallback);
        continue;
      }
      // A default never contradicts a value written beside it: an unwritten base_s stays within a written
      // max_s, and an unwritten max_s is at least a written base_s.
      Node maxNode = rule.field("max_s");
      Double writtenMax = maxNode.number(null, 0, 3600);
      double base = rule.field("base_s").number(writtenMax == null ? fallback.baseS()
          : Math.min(fallback.baseS(), writtenMax), 0, 3600);
      double max = writtenMax != null ? writtenMax : Math.max(base, fallback.maxS());
      if (max < base) {
        maxNode.problem("must be at least base_s (" + base + ")");
      }
      rules.put(errorClass, new RetryRule(
          rule.field("attempts").integer(fallback.attempts(), 1, 20),
          rule.field("backoff").choice(BACKOFFS, fallback.backoff()), base, max));
    }
    return new RetryMatrix(rules);
  }

  private static Optional<CacheConfig> cache(Node node) {
    if (!node.mapping(ConfigReader.SCHEMA.get("cache"))) {
      return Optional.empty();
    }
    Node ttl = node.field("ttl_s");
    if (!ttl.present()) {
      ttl.problem("is required in a cache block");
    }
    return Optional.of(new CacheConfig(node.field("enabled").bool(true),
        ttl.integer(1L, 1, 31_536_000), node.field("shared").bool(false)));
  }

  private static IdempotencyConfig idempotency(Node node) {
    if (!node.mapping(ConfigReader.SCHEMA.get("idempotency"))) {
      return IdempotencyConfig.defaults();
    }
    Node header = node.field("forward_header");
    Optional<String> forward = header.present() ? Optional.of(header.text("")) : Optional.empty();
    forward.filter(h -> !HEADER_NAME.matcher(h).matches()).ifPresent(h -> header.problem("must be a header name"));
    return new IdempotencyConfig(
        node.field("ttl_s").integer(IdempotencyConfig.DEFAULT_TTL_S, 1, 31_536_000),
        node.field("coalesce_timeout_s").integer(IdempotencyConfig.DEFAULT_COALESCE_TIMEOUT_S, 1, 3600),
        forward);
  }

  static Optional<AuthConfig> auth(Node node) {
    if (!node.mapping(ConfigReader.SCHEMA.get("auth"))) {
      return Optional.empty();
    }
    var type = node.field("type").choice(Node.words(
        Map.entry("bearer_env", AuthConfig.Type.BEARER_ENV), Map.entry("header_env", AuthConfig.Type.HEADER_ENV)), null);
    if (type == null && !node.field("type").present()) {
      node.field("type").problem("is required: bearer_env or header_env");
    }
    Secret secret = node.field("env_var").secretFromEnv();
    Node headerNode = node.field("header");
    Optional<String> header = Optional.empty();
    if (type == AuthConfig.Type.HEADER_ENV) {
      String h = headerNode.requiredText();
      if (!h.isEmpty() && !HEADER_NAME.matcher(h).matches()) {
        headerNode.problem("must be a header name");
      }
      header = Optional.of(h);
    } else if (headerNode.present()) {
      headerNode.problem("only applies to type header_env");
    }
    String prefix = node.field("prefix").text("");
    if (prefix.indexOf('\r') >= 0 || prefix.indexOf('\n') >= 0) {
      node.field("prefix").problem("must not contain line breaks");
    }
    return Optional.of(new AuthConfig(type == null ? AuthConfig.Type.BEARER_ENV : type, secret, header, prefix));
  }
}
