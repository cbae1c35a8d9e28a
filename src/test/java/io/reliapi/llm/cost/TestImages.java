package io.reliapi.llm.cost;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Real tiny images, written by javax.imageio (PNG, GIF, JPEG) or by hand (WebP, which the JDK cannot write). */
final class TestImages {
  private TestImages() {}

  /** An image of {@code width}×{@code height} in {@code format} ("png", "gif", "jpeg"). */
  static byte[] written(String format, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      image.setRGB(x, height / 2, 0x3366cc * (x + 1));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A JPEG of the given size with an APP1 (EXIF) segment of {@code exifBytes} before its frame header. */
  static byte[] jpegWithExif(int width, int height, int exifBytes) {
    byte[] jpeg = written("jpeg", width, height);
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + exifBytes);
    out.put(jpeg, 0, 2).put((byte) 0xff).put((byte) 0xe1).putShort((short) (exifBytes + 2));
    byte[] exif = new byte[exifBytes];
    byte[] tag = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tag, 0, exif, 0, Math.min(tag.length, exifBytes));
    java.util.Arrays.fill(exif, tag.length, exifBytes, (byte) 0xff);
    return out.put(exif).put(jpeg, 2, jpeg.length - 2).array();
  }

  /** A lossy WebP header: RIFF, WEBP, a VP8 chunk with its key frame start code and 14-bit sizes. */
  static byte[] webpLossy(int width, int height) {
    ByteBuffer b = riff("VP8 ", 10);
    b.put(new byte[] {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a}).putShort((short) width).putShort((short) height);
    return b.array();
  }

  /** A lossless WebP header: a VP8L chunk with its signature byte and the sizes less one in 14 bits each. */
  static byte[] webpLossless(int width, int height) {
    ByteBuffer b = riff("VP8L", 5);
    return b.put((byte) 0x2f).putInt((width - 1) | (height - 1) << 14).array();
  }

  /** An extended WebP header: a VP8X chunk with the canvas size less one in 24 bits each. */
  static byte[] webpExtended(int width, int height) {
    ByteBuffer b = riff("VP8X", 10);
    b.putInt(0);
    put24(b, width - 1);
    put24(b, height - 1);
    return b.array();
  }

  private static ByteBuffer riff(String chunk, int chunkBytes) {
    ByteBuffer b = ByteBuffer.allocate(20 + chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + chunkBytes);
    b.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(chunk.getBytes(StandardCharsets.US_ASCII));
    return b.putInt(chunkBytes);
  }

  private static void put24(ByteBuffer b, int value) {
    b.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }

  static String dataUrl(String mediaType, byte[] bytes) {
    return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** The size {@link ImageSize#read} finds in a data URL of {@code bytes}. */
  static ImageSize sizeOf(byte[] bytes) {
    return ImageSize.read(InlineImageBytes.ofDataUrl(dataUrl("image/png", bytes)));
  }
}
