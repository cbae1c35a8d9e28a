package io.reliapi.llm.cost;

import static io.reliapi.llm.cost.TestImages.sizeOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading an inline image's size from its header bytes, and giving up (null) on anything else. */
class ImageSizeTest {

  @Test
  void readsTheSizeOfRealPngGifAndJpegImages() {
    assertThat(sizeOf(TestImages.written("png", 37, 21))).isEqualTo(new ImageSize(37, 21));
    assertThat(sizeOf(TestImages.written("gif", 300, 7))).isEqualTo(new ImageSize(300, 7));
    assertThat(sizeOf(TestImages.written("jpeg", 640, 480))).isEqualTo(new ImageSize(640, 480));
  }

  @Test
  void findsAJpegFrameHeaderBehindAnExifSegment() {
    assertThat(sizeOf(TestImages.jpegWithExif(123, 45, 20_000))).isEqualTo(new ImageSize(123, 45));
  }

  @Test
  void readsTheSizeOfLossyLosslessAndExtendedWebpHeaders() {
    assertThat(sizeOf(TestImages.webpLossy(1024, 768))).isEqualTo(new ImageSize(1024, 768));
    assertThat(sizeOf(TestImages.webpLossless(16383, 1))).isEqualTo(new ImageSize(16383, 1));
    assertThat(sizeOf(TestImages.webpExtended(20000, 3000))).isEqualTo(new ImageSize(20000, 3000));
  }

  @Test
  void readsTheSizeFromBareBase64AsAnthropicSendsIt() {
    String data = Base64.getEncoder().encodeToString(TestImages.written("png", 10, 20));
    assertThat(ImageSize.read(InlineImageBytes.ofBase64(data))).isEqualTo(new ImageSize(10, 20));
  }

  @Test
  void givesUpOnAJpegWhoseFrameHeaderLiesBeyondTheDecodedPrefix() {
    byte[] jpeg = TestImages.jpegWithExif(10, 10, 65_000);
    assertThat(sizeOf(jpeg)).isEqualTo(new ImageSize(10, 10));
    byte[] twoExifSegments = TestImages.jpegWithExif(10, 10, 65_000);
    ByteBuffer longer = ByteBuffer.allocate(jpeg.length + 65_004);
    longer.put(jpeg, 0, 2).put((byte) 0xff).put((byte) 0xe1).putShort((short) 65_002).put(new byte[65_000]);
    longer.put(twoExifSegments, 2, twoExifSegments.length - 2);
    assertThat(sizeOf(longer.array())).isNull();
  }

  @Test
  void givesUpOnTruncatedHeaders() {
    assertThat(sizeOf(Arrays.copyOf(TestImages.written("png", 5, 5), 22))).isNull();
    assertThat(sizeOf(Arrays.copyOf(TestImages.written("gif", 5, 5), 9))).isNull();
    assertThat(sizeOf(Arrays.copyOf(TestImages.written("jpeg", 5, 5), 100))).isNull();
    assertThat(sizeOf(Arrays.copyOf(TestImages.webpLossy(5, 5), 28))).isNull();
    assertThat(sizeOf(Arrays.copyOf(TestImages.webpLossless(5, 5), 23))).isNull();
    assertThat(sizeOf(Arrays.copyOf(TestImages.webpExtended(5, 5), 28))).isNull();
  }

  @Test
  void givesUpOnZeroHugeOrMisplacedSizes() {
    byte[] png = TestImages.written("png", 5, 5);
    ByteBuffer.wrap(png).putInt(16, 0);
    assertThat(sizeOf(png)).isNull();
    ByteBuffer.wrap(png).putInt(16, Integer.MAX_VALUE);
    assertThat(sizeOf(png)).isNull();
    ByteBuffer.wrap(png).putInt(16, -1);
    assertThat(sizeOf(png)).isNull();
    byte[] notIhdr = TestImages.written("png", 5, 5);
    notIhdr[12] = 'X';
    assertThat(sizeOf(notIhdr)).isNull();
    assertThat(sizeOf(TestImages.webpLossy(0, 5))).isNull();
    byte[] gif = TestImages.written("gif", 5, 5);
    gif[8] = 0;
    gif[9] = 0;
    assertThat(sizeOf(gif)).isNull();
  }

  @Test
  void givesUpOnBogusJpegMarkers() {
    byte[] noMarker = {(byte) 0xff, (byte) 0xd8, 0x12, 0x34, 0, 0, 0, 0};
    byte[] zeroLength = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0, 0, 0};
    byte[] scanFirst = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 8, 0, 0};
    byte[] fillOnly = new byte[60_000];
    Arrays.fill(fillOnly, (byte) 0xff);
    fillOnly[1] = (byte) 0xd8;
    for (byte[] jpeg : new byte[][] {noMarker, zeroLength, scanFirst, fillOnly}) {
      assertThat(sizeOf(jpeg)).isNull();
    }
  }

  @Test
  void givesUpOnOtherUrlsAndOtherEncodings() {
    assertThat(InlineImageBytes.ofDataUrl("https://example.com/a.png")).isNull();
    assertThat(InlineImageBytes.ofDataUrl("data:text/plain;base64,aGVsbG8=")).isNull();
    assertThat(InlineImageBytes.ofDataUrl("data:image/png,%89PNG")).isNull();
    assertThat(InlineImageBytes.ofDataUrl(null)).isNull();
    String wrapped = Base64.getMimeEncoder().encodeToString(TestImages.written("png", 200, 200));
    assertThat(ImageSize.read(InlineImageBytes.ofDataUrl("data:image/png;base64,\n" + wrapped))).isNull();
    assertThat(ImageSize.read(InlineImageBytes.ofDataUrl("data:image/png;base64,"))).isNull();
  }
}
