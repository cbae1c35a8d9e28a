package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a script that a guarantee acts on together with a {@code WAIT} ({@code redis.wait_replicas},
 * {@code redis.wait_timeout_ms}), pipelined on one connection, so its answer comes back only once a replica
 * holds its writes (or the wait ran out): one round trip, and a failover of the primary cannot take the
 * write back. Redis replicates asynchronously; without this, a claim or reservation acknowledged just before
 * the primary died may be missing on the replica that takes its place.
 *
 * <p>A wait that runs out does not fail the write: the primary has it, and with its replicas gone (a
 * failover just promoted one) failing every guarantee would turn lost redundancy into an outage. It is
 * logged once when replicas stop acknowledging and once when they acknowledge again.
 */
final class ReplicaAcks {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaAcks.class);
  private static final String SCRIPT_FAILED = "ERR [0] ";

  private final RedisConfig.ReplicaAck ack;
  private final AtomicBoolean missing = new AtomicBoolean();

  ReplicaAcks(RedisConfig.ReplicaAck ack) {
    this.ack = ack;
  }

  boolean enabled() {
    return ack.replicas() > 0;
  }

  /**
   * Sends {@code script} and the WAIT; completes with the script's answer, or fails with its error reply, or
   * (the WAIT alone failed, so the script ran and its answer is lost) with a failure that is no error reply.
   */
  Future<Response> send(Redis client, Request script) {
    Request wait = Request.cmd(Command.WAIT).arg(ack.replicas()).arg(ack.timeoutMs());
    return client.batch(List.of(script, wait)).transform(done -> {
      if (done.succeeded()) {
        noteAcks(done.result().get(1));
        return Future.succeededFuture(done.result().get(0));
      }
      return Future.failedFuture(scriptFailure(done.cause()));
    });
  }

  /** A batch fails as a whole; its error says which command failed ({@code ERR [0] ...} for the script). */
  private static Throwable scriptFailure(Throwable failure) {
    if (!(failure instanceof ErrorType error)) {
      return failure;
    }
    String text = error.toString();
    if (text.startsWith(SCRIPT_FAILED)) {
      int end = text.indexOf('\n');
      return ErrorType.create(text.substring(SCRIPT_FAILED.length(), end < 0 ? text.length() : end));
    }
    return new IllegalStateException("the script ran but its answer was lost with the WAIT that followed it");
  }

  private void noteAcks(Response acknowledged) {
    boolean enough = acknowledged != null && acknowledged.toInteger() >= ack.replicas();
    if (!enough && missing.compareAndSet(false, true)) {
      LOG.warn("Redis replicas do not acknowledge writes within redis.wait_timeout_ms; guarantees go on with the "
          + "primary's copy only until they do");
    } else if (enough && missing.compareAndSet(true, false)) {
      LOG.info("Redis replicas acknowledge writes again");
    }
  }
}
