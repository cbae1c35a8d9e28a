package io.reliapi.llm.cost;

/**
 * What an image of a known size costs, by each provider's documented rule (sources in {@link ImageTokens}). Every
 * rounding goes up, so a result is never below what the provider bills; {@link ImageTokens} caps it at the family's
 * largest bound.
 */
final class ImageSizeRules {
  private static final double OPENAI_SQUARE = 2048;
  private static final double OPENAI_SHORT_SIDE = 768;
  private static final int OPENAI_TILE = 512;
  private static final int OPENAI_PATCH = 32;
  /** Anthropic's visual tokens are 28×28-px patches; the documented w×h/750 is the same area per token. */
  private static final int CLAUDE_PATCH = 28;
  private static final int CLAUDE_PIXELS_PER_TOKEN = 750;
  private static final int GEMINI_SMALL_SIDE = 384;
  private static final int GEMINI_TILE = 768;
  private static final int GEMINI_TOKENS_PER_TILE = 258;

  private ImageSizeRules() {}

  /** OpenAI's 512-px tiles of the image fitted within 2048×2048, then scaled down to a short side of 768. */
  static long openAiTiles(int width, int height) {
    double scale = Math.min(1, OPENAI_SQUARE / Math.max(width, height));
    double w = width * scale;
    double h = height * scale;
    double shortSide = Math.min(w, h);
    if (shortSide > OPENAI_SHORT_SIDE) {
      w = w * OPENAI_SHORT_SIDE / shortSide;
      h = h * OPENAI_SHORT_SIDE / shortSide;
    }
    return tiles(w, OPENAI_TILE) * tiles(h, OPENAI_TILE);
  }

  /**
   * OpenAI's 32-px patches covering the image, at most {@link ImageTokens#MAX_PATCHES}: OpenAI scales a larger image
   * down until it fits that many, leaving a few less, so the cap is an upper bound of its count.
   */
  static long openAiPatches(int width, int height) {
    return Math.min(ImageTokens.MAX_PATCHES, tiles(width, OPENAI_PATCH) * tiles(height, OPENAI_PATCH));
  }

  /** Anthropic: the image scaled down to {@code longEdge}, in 28-px patches, at 750 px² a token, rounded up. */
  static long claude(int width, int height, int longEdge) {
    double scale = Math.min(1, (double) longEdge / Math.max(width, height));
    long patches = tiles(width * scale, CLAUDE_PATCH) * tiles(height * scale, CLAUDE_PATCH);
    long area = patches * CLAUDE_PATCH * CLAUDE_PATCH;
    return (area + CLAUDE_PIXELS_PER_TOKEN - 1) / CLAUDE_PIXELS_PER_TOKEN;
  }

  /**
   * Gemini before 3: 258 tokens for an image of at most 384 px on both sides, else 258 per tile. Tiles are 768 px
   * by the documentation; Gemini is also reported to crop in units of the short side / 1.5, which gives more tiles
   * for narrow images, so the larger of the two counts.
   */
  static long geminiTiles(int width, int height) {
    if (width <= GEMINI_SMALL_SIDE && height <= GEMINI_SMALL_SIDE) {
      return GEMINI_TOKENS_PER_TILE;
    }
    long documented = tiles(width, GEMINI_TILE) * tiles(height, GEMINI_TILE);
    double cropUnit = Math.max(1, Math.floor(Math.min(width, height) / 1.5));
    long cropped = tiles(width, cropUnit) * tiles(height, cropUnit);
    return Math.max(documented, cropped) * GEMINI_TOKENS_PER_TILE;
  }

  private static long tiles(double side, double tile) {
    return Math.max(1, (long) Math.ceil(side / tile));
  }
}
