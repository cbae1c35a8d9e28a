package io.reliapi.store.redis;

import io.reliapi.http.Headers;
import io.reliapi.store.CacheEntry;
import io.reliapi.store.Outcome;
import io.reliapi.store.StoredReply;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of what the Redis stores keep: cache entries and idempotency outcomes. Binary and
 * length-prefixed, so bodies of any bytes survive unchanged; the first byte names the version and kind,
 * so a gateway that finds a layout it does not know treats it as absent instead of misreading it.
 */
final class Codec {
  private static final byte RESPONSE = 'R';
  private static final byte VARIANTS = 'V';
  private static final byte REPLIED = 'P';
  private static final byte UNKNOWN = 'U';
  private static final byte NOT_STORED = 'N';
  private static final byte VERSION = 1;

  private Codec() {}

  /** Encodes a cache entry that is fresh until {@code expiresAtMillis}. */
  static Buffer cacheEntry(CacheEntry entry, long expiresAtMillis) {
    Buffer out = Buffer.buffer().appendByte(VERSION).appendLong(expiresAtMillis);
    switch (entry) {
      case CacheEntry.Response response -> reply(out.appendByte(RESPONSE), response.reply());
      case CacheEntry.Variants variants -> {
        out.appendByte(VARIANTS).appendInt(variants.headers().size());
        variants.headers().forEach(name -> string(out, name));
      }
    }
    return out;
  }

  /** Decodes a cache entry; null when it has expired by {@code nowMillis} or its layout is unknown. */
  static CacheEntry cacheEntry(Buffer in, long nowMillis) {
    if (in.length() < 10 || in.getByte(0) != VERSION || in.getLong(1) <= nowMillis) {
      return null;
    }
    Reader reader = new Reader(in, 9);
    return switch (reader.readByte()) {
      case RESPONSE -> new CacheEntry.Response(reader.reply());
      case VARIANTS -> {
        int n = reader.readInt();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          names.add(reader.string());
        }
        yield new CacheEntry.Variants(names);
      }
      default -> null;
    };
  }

  static Buffer outcome(Outcome outcome) {
    Buffer out = Buffer.buffer().appendByte(VERSION);
    return switch (outcome) {
      case Outcome.Replied replied -> reply(out.appendByte(REPLIED), replied.reply());
      case Outcome.Unknown unknown -> out.appendByte(UNKNOWN);
      case Outcome.NotStored notStored -> out.appendByte(NOT_STORED);
    };
  }

  /** Decodes an outcome; null when its layout is unknown. */
  static Outcome outcome(Buffer in) {
    if (in.length() < 2 || in.getByte(0) != VERSION) {
      return null;
    }
    Reader reader = new Reader(in, 1);
    return switch (reader.readByte()) {
      case REPLIED -> new Outcome.Replied(reader.reply());
      case UNKNOWN -> new Outcome.Unknown();
      case NOT_STORED -> new Outcome.NotStored();
      default -> null;
    };
  }

  private static Buffer reply(Buffer out, StoredReply reply) {
    out.appendInt(reply.status()).appendLong(reply.storedAtMillis()).appendInt(reply.headers().size());
    reply.headers().forEach((name, value) -> {
      string(out, name);
      string(out, value);
    });
    return out.appendInt(reply.body().length()).appendBuffer(reply.body());
  }

  private static void string(Buffer out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Reads fields in order from a buffer. */
  private static final class Reader {
    private final Buffer in;
    private int at;

    Reader(Buffer in, int at) {
      this.in = in;
      this.at = at;
    }

    byte readByte() {
      return in.getByte(at++);
    }

    int readInt() {
      int value = in.getInt(at);
      at += 4;
      return value;
    }

    long readLong() {
      long value = in.getLong(at);
      at += 8;
      return value;
    }

    String string() {
      int length = readInt();
      String text = in.getString(at, at + length, "UTF-8");
      at += length;
      return text;
    }

    StoredReply reply() {
      int status = readInt();
      long storedAt = readLong();
      int fields = readInt();
      String[] pairs = new String[fields * 2];
      for (int i = 0; i < pairs.length; i++) {
        pairs[i] = string();
      }
      int length = readInt();
      Buffer body = in.getBuffer(at, at + length);
      at += length;
      return new StoredReply(status, Headers.of(pairs), body, storedAt);
    }
  }
}
