package io.reliapi.policy.route;

import io.reliapi.http.Body;
import io.reliapi.http.BoundedRead;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.PrefixedStream;
import io.reliapi.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a deployment's 401 to tell whether it plainly refuses the gateway's key ({@link Refusals#refusesKey}),
 * whatever its framing: a stated length or chunked, gzipped or not. At most {@link #MAX_BYTES} are read, each chunk
 * taken from the request's memory budget; a body longer than that goes on whole, the bytes read first and then the
 * rest ({@link PrefixedStream}), and is not read as a refusal of the key (OpenAI's are a few hundred bytes). The
 * client always gets the body as the deployment sent it, compressed or not.
 */
final class RefusalBody {
  static final int MAX_BYTES = 64 * 1024;

  private RefusalBody() {}

  /** What the refusal said, and the reply to send on in its place (its body as it arrived). */
  record Read(Reply reply, boolean refusesKey) {}

  static Future<Read> read(Reply reply, HeldBytes held) {
    if (Refusals.statedLonger(reply.headers(), MAX_BYTES)) {
      return Future.succeededFuture(new Read(reply, false));
    }
    if (reply.body() instanceof Body.Bytes bytes) {
      return Future.succeededFuture(new Read(reply, refusesKey(reply, bytes.bytes())));
    }
    Body.Stream stream = (Body.Stream) reply.body();
    return BoundedRead.read(stream, MAX_BYTES, held).map(read -> {
      if (read.whole()) {
        return new Read(reply.withBody(Body.of(read.bytes())), refusesKey(reply, read.bytes()));
      }
      Buffer first = read.bytes().copy().appendBuffer(read.past());
      return new Read(reply.withBody(new Body.Stream(new PrefixedStream(first, stream.source()), stream.length(),
          stream.abort())), false);
    });
  }

  private static boolean refusesKey(Reply reply, Buffer raw) {
    Buffer text = Refusals.decoded(reply.headers(), raw, MAX_BYTES);
    return text != null && Refusals.refusesKey(text);
  }
}
