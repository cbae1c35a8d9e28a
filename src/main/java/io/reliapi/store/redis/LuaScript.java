package io.reliapi.store.redis;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script run atomically by Redis, addressed by the SHA-1 of its source. */
record LuaScript(String source, String sha1) {

  static LuaScript of(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  /** Returns an EVALSHA (by digest) or EVAL (by source) request with these keys and arguments. */
  Request request(Command command, List<String> keys, Object... args) {
    Request request = Request.cmd(command).arg(command == Command.EVAL ? source : sha1).arg(keys.size());
    keys.forEach(request::arg);
    for (Object arg : args) {
      switch (arg) {
        case String text -> request.arg(text);
        case Long number -> request.arg(number.longValue());
        case Integer number -> request.arg(number.longValue());
        case Double number -> request.arg(java.math.BigDecimal.valueOf(number).toPlainString());
        case Buffer bytes -> request.arg(bytes);
        case byte[] bytes -> request.arg(bytes);
        default -> throw new IllegalArgumentException("unsupported script argument");
      }
    }
    return request;
  }
}
