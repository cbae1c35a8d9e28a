package io.reliapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free loopback port to a target port, which a test can cut: every connection through
 * it breaks and new ones are refused — a network partition between one client (say, one gateway
 * instance and its Redis) and the server, while other clients still reach the server directly. It can also
 * be paused: bytes are held (in both directions) until it resumes — a server that is slow, not gone.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private final Object pause = new Object();
  private boolean paused;
  private int holding;

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static TcpProxy to(int targetPort) {
    try {
      return new TcpProxy(targetPort);
    } catch (IOException e) {
      throw new IllegalStateException("tcp proxy could not listen", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Breaks every connection and refuses new ones. */
  public void cut() {
    cut = true;
    resume();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing is all that matters.
    }
    sockets.forEach(TcpProxy::closeQuietly);
  }

  /** Holds every byte that arrives from now on until {@link #resume()}. */
  public void pause() {
    synchronized (pause) {
      paused = true;
    }
  }

  /** Relays the held bytes and every later one. */
  public void resume() {
    synchronized (pause) {
      paused = false;
      pause.notifyAll();
    }
  }

  /** Returns how many reads are held by a pause. */
  public int holding() {
    synchronized (pause) {
      return holding;
    }
  }

  private void awaitResumed() throws IOException {
    synchronized (pause) {
      if (!paused) {
        return;
      }
      holding++;
      try {
        while (paused && !cut) {
          pause.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while paused", e);
      } finally {
        holding--;
      }
    }
  }

  private void accept() {
    while (!cut) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitResumed();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // A broken side ends the relay.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    cut();
  }
}
