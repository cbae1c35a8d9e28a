package io.reliapi;

import io.reliapi.config.ConfigException;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.RedisConfig;
import io.reliapi.config.RedisUrls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies command-line flags and env vars over the file: flags win over env, env over the file (SPEC §1). */
final class Overrides {
  private Overrides() {}

  static GatewayConfig apply(GatewayConfig file, String hostFlag, Integer portFlag, String redisFlag,
      Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String host = first(hostFlag, env.get("RELIAPI_HOST"), file.server().host());
    int port = file.server().port();
    String portText = portFlag != null ? portFlag.toString() : env.get("RELIAPI_PORT");
    if (portText != null) {
      try {
        port = Integer.parseInt(portText.trim());
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add("--port: must be an integer from 0 to 65535 (got \"" + portText + "\")");
      }
    }
    String redisUrl = first(redisFlag, env.get("REDIS_URL"), null);
    Optional<RedisConfig> redis = file.redis();
    if (redisUrl != null) {
      RedisUrls.problem(redisUrl).ifPresent(rule ->
          problems.add("--redis-url: " + rule + " (got " + RedisUrls.redacted(redisUrl) + ")"));
      if (redis.isPresent() && redis.get().mode() != RedisConfig.Mode.STANDALONE) {
        problems.add("--redis-url: applies to redis.mode standalone only (the file sets redis.mode "
            + redis.get().mode().name().toLowerCase() + ")");
      }
      redis = Optional.of(redis.map(r -> r.withUrl(redisUrl)).orElse(
          new RedisConfig(redisUrl, RedisConfig.OnUnavailable.FAIL_CLOSED, RedisConfig.DEFAULT_TIMEOUT_MS)));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return file.withServer(file.server().withListen(host, port)).withRedis(redis);
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null ? b : c;
  }
}
