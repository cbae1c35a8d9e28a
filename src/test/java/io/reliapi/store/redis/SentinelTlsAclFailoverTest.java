package io.reliapi.store.redis;

import io.reliapi.testing.RedisTlsAcl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@link SentinelFailoverTest} with the primary, its replica and the Sentinels locked down like managed Redis
 * (see {@link RedisTlsAcl}): the failover is announced on {@code +switch-master} (a channel the gateway's user
 * may subscribe to on the Sentinels), and the new primary's address, from a Sentinel, must be reached with
 * TLS and the ACL user.
 */
class SentinelTlsAclFailoverTest extends SentinelFailoverTest {
  @Override
  RedisTlsAcl lockedDown() {
    try {
      return RedisTlsAcl.create(Files.createTempDirectory("reliapi-sentinel-tls"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
