package io.reliapi.server;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/** Looks up the target a request names. */
public final class Targets {
  private Targets() {}

  public static TargetConfig find(GatewayConfig config, String name) {
    return config.target(name).orElseThrow(() ->
        GatewayException.of(ErrorCode.TARGET_NOT_FOUND, "No target with this name is configured."));
  }
}
