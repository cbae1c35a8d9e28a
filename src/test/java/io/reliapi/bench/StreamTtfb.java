package io.reliapi.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What each stream commit mode costs a client against a healthy provider: for {@code requests} streamed calls
 * per mode (chosen per request with {@code X-ReliAPI-Stream-Commit}), the time to the response's first byte,
 * to the first content token, and to the end, as median and 90th percentile. The provider is the fault wall's
 * healthy model, whose pace is its profile's token interval.
 */
final class StreamTtfb {
  private static final Pattern FIRST_TOKEN = Pattern.compile("\"content\":\"[^\"]");
  private static final String BODY = "{\"model\": \"%s\", \"stream\": true, \"stream_options\": {\"include_usage\": "
      + "true}, \"messages\": [{\"role\": \"user\", \"content\": \"Explain in exactly sixty words why a gateway "
      + "earns trust only when the provider behind it misbehaves.\"}]}";

  private StreamTtfb() {}

  /** One call's timings in milliseconds from the request's last byte. */
  record Timing(double firstByteMs, double firstTokenMs, double endMs) {}

  static String table(String gateway, String model, int requests) throws IOException {
    StringBuilder out = new StringBuilder("| mode | first byte p50 / p90 | first token p50 / p90 | end p50 / p90 |\n")
        .append("|---|---:|---:|---:|\n");
    call(gateway, model, "none");  // warm-up
    for (String mode : List.of("none", "first_token", "complete")) {
      List<Timing> timings = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        timings.add(call(gateway, model, mode));
      }
      out.append("| `").append(mode).append("` | ")
          .append(pair(timings.stream().mapToDouble(Timing::firstByteMs).toArray())).append(" | ")
          .append(pair(timings.stream().mapToDouble(Timing::firstTokenMs).toArray())).append(" | ")
          .append(pair(timings.stream().mapToDouble(Timing::endMs).toArray())).append(" |\n");
    }
    return out.toString();
  }

  private static String pair(double[] values) {
    Arrays.sort(values);
    return String.format(Locale.ROOT, "%.0f / %.0f ms", values[values.length / 2],
        values[Math.min(values.length - 1, (int) Math.ceil(values.length * 0.9) - 1)]);
  }

  static Timing call(String gateway, String model, String mode) throws IOException {
    URI base = URI.create(gateway.endsWith("/") ? gateway : gateway + "/");
    byte[] body = BODY.formatted(model).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + base.getRawPath() + "chat/completions HTTP/1.1\r\nHost: " + base.getHost()
          + "\r\nAuthorization: Bearer failoverbench\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + "X-ReliAPI-Stream-Commit: " + mode + "\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      long sent = System.nanoTime();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long firstByte = -1;
      long firstToken = -1;
      for (int n; (n = in.read(buffer)) > 0; ) {
        long now = System.nanoTime();
        firstByte = firstByte < 0 ? now : firstByte;
        received.write(buffer, 0, n);
        if (firstToken < 0 && FIRST_TOKEN.matcher(received.toString(StandardCharsets.UTF_8)).find()) {
          firstToken = now;
        }
      }
      long end = System.nanoTime();
      return new Timing(ms(firstByte - sent), ms(firstToken - sent), ms(end - sent));
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
