package io.reliapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The requests the AOT cache's recording run ({@code --exit-after-start}) sends to itself before it exits,
 * so the classes that serve them (the HTTP server, routing, the error shape, the access log) are in the
 * cache and a later start answers its first health check without loading them from the jar. Plain
 * HTTP/1.1 on a socket, so the recording loads no client classes a gateway never uses.
 */
final class TrainingRequests {
  static final String[] PATHS = {"/healthz", "/readyz", "/metrics", "/no-such-route"};
  private static final int TIMEOUT_MS = 5_000;

  private TrainingRequests() {}

  /** Sends each of {@link #PATHS} once; a failure only means a smaller cache, never a failed start. */
  static void send(String host, int port) {
    for (String path : PATHS) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // Read to the end: the gateway has then finished the request, access log line included.
        }
      } catch (IOException e) {
        return;
      }
    }
  }
}
