package io.reliapi.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code clients}: each one's key, allowed targets, budget, rate limit, quota, priority and limits, and
 * the client {@code RELIAPI_API_KEY} adds. Names and keys must be unique.
 */
final class ClientReader {
  /** The name of the client that {@code RELIAPI_API_KEY} adds. */
  static final String DEFAULT_CLIENT = "default";

  private ClientReader() {}

  static List<ClientConfig> read(Node n, Map<String, TargetConfig> targets, Function<String, String> env) {
    List<ClientConfig> out = new ArrayList<>();
    List<Node> items = n.items();
    Map<String, String> keyOwners = new HashMap<>();
    for (Node item : items) {
      item.mapping(ConfigReader.SCHEMA.get("clients[]"));
      String name = item.field("name").requiredText();
      if (out.stream().anyMatch(c -> c.name().equals(name))) {
        item.field("name").problem("client names must be unique");
      }
      Secret key = item.field("key_env").keyFromEnv();
      String owner = keyOwners.putIfAbsent(key.value(), item.path());
      if (owner != null && !key.value().isEmpty()) {
        item.field("key_env").problem("holds the same key as " + owner + "; every client needs its own key");
      }
      Optional<Set<String>> allowed = Optional.empty();
      Node allowedNode = item.field("targets");
      if (allowedNode.present()) {
        var names = new LinkedHashSet<>(allowedNode.textList());
        names.stream().filter(t -> !targets.containsKey(t))
            .forEach(t -> allowedNode.problems().add(allowedNode.path(), t, "names an unknown target"));
        allowed = Optional.of(Set.copyOf(names));
      }
      out.add(new ClientConfig(name, key, allowed,
          ConfigReader.budget(item.field("budget")), rateLimit(item.field("rate_limit")), quota(item.field("quota")),
          OverloadReader.priority(item.field("priority")), OverloadReader.limits(item.field("limits"))));
    }
    String raw = env.apply("RELIAPI_API_KEY");
    String single = Node.trimmed(raw);
    if (single != null && single.isEmpty() && !raw.isEmpty()) {
      // Trimming would turn a key file holding only a newline into no key, and the gateway would run open.
      n.problems().add("RELIAPI_API_KEY", "is set but holds only whitespace; set a key, or unset it to add no client");
    }
    if (single != null && !single.isEmpty()) {
      String unpresentable = PresentableKey.problem(single);
      if (unpresentable != null) {
        n.problems().add("RELIAPI_API_KEY", unpresentable);
      }
      checkDefaultClient(single, out, items);
      out.add(new ClientConfig(DEFAULT_CLIENT, new Secret("RELIAPI_API_KEY", single),
          Optional.empty(), Optional.empty(), Optional.empty()));
    }
    return out;
  }

  /** The client RELIAPI_API_KEY adds must not share a name or a key with a configured one. */
  private static void checkDefaultClient(String key, List<ClientConfig> clients, List<Node> items) {
    for (int i = 0; i < clients.size(); i++) {
      if (clients.get(i).name().equals(DEFAULT_CLIENT)) {
        items.get(i).field("name").problem("is the name of the client RELIAPI_API_KEY adds; choose another name");
      }
      if (clients.get(i).key().value().equals(key)) {
        items.get(i).field("key_env").problem("holds the same key as RELIAPI_API_KEY; every client needs its own key");
      }
    }
  }

  private static Optional<RateLimitConfig> rateLimit(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("rate_limit"))) {
      return Optional.empty();
    }
    Node rpsNode = n.field("rps");
    if (!rpsNode.present()) {
      rpsNode.problem("is required");
    }
    double rps = rpsNode.number(1.0, 0.001, 1e6);
    int burst = n.field("burst").integer((int) Math.max(1, Math.ceil(rps)), 1, 10_000_000);
    return Optional.of(new RateLimitConfig(rps, burst));
  }

  private static QuotaConfig quota(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("quota"))) {
      return QuotaConfig.DEFAULT;
    }
    return new QuotaConfig(
        n.field("idempotency_records").integer(QuotaConfig.DEFAULT_IDEMPOTENCY_RECORDS, 0, 1_000_000_000),
        n.field("cache_bytes").integer(QuotaConfig.DEFAULT_CACHE_BYTES, 0, 1L << 40));
  }
}
