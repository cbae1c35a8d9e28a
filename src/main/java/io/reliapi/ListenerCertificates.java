package io.reliapi;

import io.reliapi.server.ServerVerticle;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a reload, hands the HTTPS listener the certificates the new config read ({@code server.tls}; the files were
 * checked when it loaded): connections opened from then on get them, connections open keep theirs. Runs on the
 * reloading thread (a signal's, the file watcher's or a worker's; never an event loop) and waits, so that the reload's
 * answer comes after the switch.
 */
final class ListenerCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerCertificates.class);
  private static final long WAIT_S = 10;

  private ListenerCertificates() {}

  static void update(List<ServerVerticle> servers) {
    try {
      // Not Future.await: a reload asked through the admin API runs on a Vert.x worker thread, where it is refused.
      boolean changed = Future.all(servers.stream().map(ServerVerticle::updateTls).toList())
          .toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS).list().contains(Boolean.TRUE);
      if (changed) {
        LOG.info("Listener certificates replaced: new connections get the certificates of server.tls");
      }
    } catch (Exception e) {
      // Only what failed: the exception's words may quote the files.
      LOG.error("Listener certificates not replaced: the running ones stay (server.tls)");
    }
  }
}
