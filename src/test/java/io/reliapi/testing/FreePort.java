package io.reliapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports for tests: one free to listen on, or one that refuses every connection. */
public final class FreePort {
  /** Sockets holding the refusing ports until the test JVM ends. */
  private static final List<Socket> REFUSING = new ArrayList<>();

  private FreePort() {}

  /** Returns a port nothing listens on right now, for a server the test starts on it later. */
  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a port that refuses connections for the rest of the run. A port merely found free can be taken by any
   * server started later (in this JVM or another on the machine), and then the "refused" upstream answers; this one
   * stays bound by a socket that never listens (without {@code SO_REUSEADDR}, so no server can bind it and no
   * outgoing connection takes it as its own port), and every connection to it is refused.
   */
  public static synchronized int refused() {
    try {
      Socket socket = new Socket();
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      REFUSING.add(socket);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
