package io.reliapi;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the gateway's config comes from, so that a reload reads it again the same way: the file, then the
 * command-line flags and environment over it, exactly as at startup. Loading reads a file: never call it
 * on an event loop.
 */
public interface ConfigSource {

  /** Reads and validates the config; a bad one throws {@link io.reliapi.config.ConfigException}. */
  LoadedConfig load();

  /** Returns the file a {@code server.watch_config} watcher polls, or empty when there is none. */
  Optional<Path> file();

  /** A config file, with {@code overrides} (flags and environment) applied over each load. */
  static ConfigSource file(Path path, Function<String, String> env, UnaryOperator<GatewayConfig> overrides) {
    return new ConfigSource() {
      @Override
      public LoadedConfig load() {
        String text = ConfigLoader.read(path);
        return new LoadedConfig(overrides.apply(ConfigLoader.parse(text, env)), digest(text));
      }

      @Override
      public Optional<Path> file() {
        return Optional.of(path);
      }
    };
  }

  /** A config that never changes (built in code, as tests do): every reload finds it unchanged. */
  static ConfigSource fixed(GatewayConfig config) {
    LoadedConfig loaded = new LoadedConfig(config, digest(String.valueOf(config.hashCode())));
    return new ConfigSource() {
      @Override
      public LoadedConfig load() {
        return loaded;
      }

      @Override
      public Optional<Path> file() {
        return Optional.empty();
      }
    };
  }

  /** Returns the first 12 hex digits of the SHA-256 of {@code text}. */
  static String digest(String text) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
