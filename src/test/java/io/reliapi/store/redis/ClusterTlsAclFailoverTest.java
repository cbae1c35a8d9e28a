package io.reliapi.store.redis;

import io.reliapi.testing.RedisTlsAcl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@link ClusterFailoverTest} on a cluster locked down like managed Redis (see {@link RedisTlsAcl}): the
 * promoted replica's address is learned from {@code CLUSTER SLOTS} after the failover, and the client library
 * must reach it with TLS and the ACL user as it did the seeds.
 */
class ClusterTlsAclFailoverTest extends ClusterFailoverTest {
  @Override
  RedisTlsAcl lockedDown() {
    try {
      return RedisTlsAcl.create(Files.createTempDirectory("reliapi-cluster-tls"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
