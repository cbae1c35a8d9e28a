package io.reliapi;

import io.reliapi.server.ServerVerticle;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a reload, hands the HTTPS listener the certificates the new config read ({@code server.tls}; the files were
 * checked when it loaded): connections opened from then on get them, connections open keep theirs. Nothing waits
 * for it on the calling thread; the admin API's reload answers once the returned future completes.
 */
final class ListenerCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerCertificates.class);

  private ListenerCertificates() {}

  /** Completes (never fails) once every listener has the snapshot's certificates or kept its own. */
  static Future<Void> update(List<ServerVerticle> servers) {
    return Future.all(servers.stream().map(ServerVerticle::updateTls).toList()).transform(done -> {
      if (done.failed()) {
        // Only what failed: the exception's words may quote the files. The next reload tries again.
        LOG.error("Listener certificates not replaced: the running ones stay (server.tls)");
      } else if (done.result().list().contains(Boolean.TRUE)) {
        LOG.info("Listener certificates replaced: new connections get the certificates of server.tls");
      }
      return Future.<Void>succeededFuture();
    });
  }
}
