package io.reliapi.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/2 with prior knowledge over a plain socket, frames written by hand: header fields no well-behaved
 * client would send (their values are not checked on the way out), one request on stream 1.
 */
public final class RawH2c {
  private static final byte DATA = 0;
  private static final byte HEADERS = 1;
  private static final byte RST_STREAM = 3;
  private static final byte SETTINGS = 4;
  private static final byte GOAWAY = 7;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  private RawH2c() {}

  /** The answer on stream 1: status (0 when the stream was reset or the connection went away) and body. */
  public record Response(int status, String body) {}

  public static Response send(int port, String method, String path, Map<String, String> headers, String body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(out, SETTINGS, 0, 0, new byte[0]);
      Http2Headers fields = new DefaultHttp2Headers(false).method(method).scheme("http").path(path)
          .authority("127.0.0.1");
      headers.forEach(fields::add);
      ByteBuf block = Unpooled.buffer();
      new DefaultHttp2HeadersEncoder().encodeHeaders(1, fields, block);
      byte[] encoded = new byte[block.readableBytes()];
      block.readBytes(encoded);
      frame(out, HEADERS, body == null ? END_HEADERS | END_STREAM : END_HEADERS, 1, encoded);
      if (body != null) {
        frame(out, DATA, END_STREAM, 1, body.getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      return read(new DataInputStream(socket.getInputStream()), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Http2Exception e) {
      throw new IllegalStateException("HPACK failed", e);
    }
  }

  private static Response read(DataInputStream in, OutputStream out) throws IOException, Http2Exception {
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    int status = 0;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
      byte type = in.readByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      if (type == SETTINGS && (flags & 1) == 0) {
        frame(out, SETTINGS, 1, 0, new byte[0]);
        out.flush();
      } else if (type == HEADERS && stream == 1) {
        int padding = (flags & PADDED) != 0 ? payload[0] & 0xff : 0;
        int start = ((flags & PADDED) != 0 ? 1 : 0) + ((flags & PRIORITY) != 0 ? 5 : 0);
        Http2Headers fields = decoder.decodeHeaders(1,
            Unpooled.wrappedBuffer(payload, start, payload.length - start - padding));
        if (fields.status() != null) {
          status = Integer.parseInt(fields.status().toString());
        }
        if ((flags & END_STREAM) != 0) {
          return new Response(status, body.toString(StandardCharsets.UTF_8));
        }
      } else if (type == DATA && stream == 1) {
        body.write(payload);
        if ((flags & END_STREAM) != 0) {
          return new Response(status, body.toString(StandardCharsets.UTF_8));
        }
      } else if (type == RST_STREAM && stream == 1 || type == GOAWAY) {
        return new Response(status, body.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static void frame(OutputStream out, byte type, int flags, int stream, byte[] payload) throws IOException {
    out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
    out.write(payload);
  }
}
