package io.reliapi.llm.cost;

import io.reliapi.config.LlmConfig.Provider;
import java.util.List;

/**
 * The input tokens a provider can bill for one image, per model family (docs/guides/budget-control.md, "Images").
 * An inline image ({@code data:image/...;base64,}) whose header gives its size counts what its family's rule bills
 * for that size ({@link ImageSizeRules}), never more than the largest bound; any other image (by URL or file id,
 * or whose header is not understood) counts as the largest image its model can be billed for. {@code detail: low}
 * counts less only where the provider documents a fixed cost for it.
 *
 * <ul>
 *   <li>OpenAI tile-priced models: a base plus a price per 512-px tile of the image scaled to fit 2048×2048 with
 *       its short side at most 768 px, so at most 8 tiles; {@code detail: low} costs the base alone.
 *       Patch-priced models: 32-px patches, at most 1 536, times a per-model multiplier, whatever the detail.
 *       (platform.openai.com/docs/guides/images-vision, "Calculating costs".)</li>
 *   <li>Anthropic: about width × height / 750 tokens of the image resized to the model's largest native size:
 *       1 568 px on the long edge and about 1 600 tokens up to Claude 4.6 (at most 784×1568, 1 640 tokens), 2 576 px
 *       and 4 784 visual tokens of 28×28 px from Claude Opus 4.7 on (5 001 tokens at / 750).
 *       (platform.claude.com/docs/en/build-with-claude/vision, "Evaluate image size".)</li>
 *   <li>Gemini 3: at most 2 240 tokens an image ({@code media_resolution} ultra high; high, the default, is 1 120).
 *       Earlier Gemini: 258 tokens per 768-px tile, with no documented largest size; the bound assumes Gemini's
 *       3072×3072 input scaling, 16 tiles. (ai.google.dev/gemini-api/docs/media-resolution and docs/tokens.)</li>
 * </ul>
 *
 * A model of none of these families counts the largest bound its provider's families have: for OpenAI and for a
 * provider whose rule the gateway does not know (Mistral), GPT-4o mini's 48 169, the largest of all.
 */
public final class ImageTokens {
  /** What an image of a known size costs at {@code detail: high} (or auto) or at {@code detail: low}. */
  @FunctionalInterface
  interface Rule {
    long tokens(int width, int height, boolean lowDetail);
  }

  /**
   * The most an image can be billed at {@code detail: high} (or auto) and at {@code detail: low}, and the rule
   * that prices one of a known size (null: the size does not matter, or the rule is not known).
   */
  record Bound(int high, int low, Rule rule) {
    static Bound tiles(int base, int perTile) {
      return new Bound(base + MAX_TILES * perTile, base,
          (w, h, lowDetail) -> lowDetail ? base : base + perTile * ImageSizeRules.openAiTiles(w, h));
    }

    static Bound patches(int multiplierPercent) {
      int most = (MAX_PATCHES * multiplierPercent + 99) / 100;
      return new Bound(most, most,
          (w, h, lowDetail) -> (ImageSizeRules.openAiPatches(w, h) * multiplierPercent + 99) / 100);
    }

    static Bound claude(int tokens, int longEdge) {
      return new Bound(tokens, tokens, (w, h, lowDetail) -> ImageSizeRules.claude(w, h, longEdge));
    }

    static Bound fixed(int tokens) {
      return new Bound(tokens, tokens, null);
    }

    int tokens(boolean lowDetail) {
      return lowDetail ? low : high;
    }

    /** What an image of {@code size} (null: not known) costs, never more than the bound. */
    int tokens(ImageSize size, boolean lowDetail) {
      int most = tokens(lowDetail);
      return size == null || rule == null ? most : (int) Math.min(most, rule.tokens(size.width(), size.height(), lowDetail));
    }
  }

  /** An OpenAI model family: its name, followed by nothing, a snapshot date, {@code -latest} or {@code -preview}. */
  private record Family(String name, Bound bound) {
    boolean matches(String model) {
      if (!model.startsWith(name)) {
        return false;
      }
      if (model.length() == name.length()) {
        return true;
      }
      if (model.charAt(name.length()) != '-' || model.length() == name.length() + 1) {
        return false;
      }
      String rest = model.substring(name.length() + 1);
      return Character.isDigit(rest.charAt(0)) || rest.startsWith("latest") || rest.startsWith("preview");
    }
  }

  static final int MAX_TILES = 8;
  static final int MAX_PATCHES = 1536;
  static final Bound GPT_4O_MINI = Bound.tiles(2833, 5667);
  static final Bound CLAUDE_STANDARD = Bound.claude(1640, 1568);
  static final Bound CLAUDE_HIGH_RESOLUTION = Bound.claude(5001, 2576);
  static final Bound GEMINI_3 = Bound.fixed(2240);
  static final Bound GEMINI_TILES = new Bound(16 * 258, 16 * 258,
      (w, h, lowDetail) -> ImageSizeRules.geminiTiles(w, h));
  /**
   * The largest bound of any known OpenAI model, and of any model at all, whatever the detail: a model of no known
   * family may not honour {@code detail: low}.
   */
  static final Bound LARGEST = Bound.fixed(GPT_4O_MINI.high());

  private static final List<Family> OPENAI = List.of(
      new Family("gpt-4o-mini", GPT_4O_MINI),
      new Family("gpt-4o", Bound.tiles(85, 170)),
      new Family("chatgpt-4o", Bound.tiles(85, 170)),
      new Family("gpt-4.1", Bound.tiles(85, 170)),
      new Family("gpt-4.5", Bound.tiles(85, 170)),
      new Family("gpt-4-turbo", Bound.tiles(85, 170)),
      new Family("gpt-4-vision", Bound.tiles(85, 170)),
      new Family("gpt-5", Bound.tiles(70, 140)),
      new Family("gpt-5-chat", Bound.tiles(70, 140)),
      new Family("o1", Bound.tiles(75, 150)),
      new Family("o1-pro", Bound.tiles(75, 150)),
      new Family("o3", Bound.tiles(75, 150)),
      new Family("computer-use", Bound.tiles(65, 129)),
      new Family("gpt-4.1-mini", Bound.patches(162)),
      new Family("gpt-4.1-nano", Bound.patches(246)),
      new Family("gpt-5-mini", Bound.patches(162)),
      new Family("gpt-5-nano", Bound.patches(246)),
      new Family("o4-mini", Bound.patches(172)));

  private static final List<String> CLAUDE_4 = List.of("claude-opus-4", "claude-sonnet-4", "claude-haiku-4");

  private ImageTokens() {}

  /** The most one image can cost on {@code model} served by {@code provider} (null: a provider not known). */
  public static int bound(Provider provider, String model, boolean lowDetail) {
    return of(provider, model).tokens(lowDetail);
  }

  /**
   * What one image costs on {@code model} served by {@code provider} (null: a provider not known): by its size when
   * {@code url} is an inline {@code data:image/} URL whose header gives it, else the most one can be billed for.
   */
  public static int forUrl(Provider provider, String model, String url, boolean lowDetail) {
    Bound bound = of(provider, model);
    return bound.tokens(bound.rule() == null ? null : sizeOf(InlineImageBytes.ofDataUrl(url)), lowDetail);
  }

  /** What one image given as bare base64 {@code data} (Anthropic's {@code source.data}) costs, as {@link #forUrl}. */
  public static int forBase64(Provider provider, String model, String data) {
    Bound bound = of(provider, model);
    return bound.tokens(bound.rule() == null || data == null ? null : sizeOf(InlineImageBytes.ofBase64(data)), false);
  }

  private static ImageSize sizeOf(InlineImageBytes bytes) {
    return bytes == null ? null : ImageSize.read(bytes);
  }

  /** Returns the bound of {@code model}'s family, else the largest of {@code provider}'s (null: not known). */
  static Bound of(Provider provider, String model) {
    String m = ModelNames.normalized(model);
    if (m.startsWith("claude-")) {
      return standardResolution(m) ? CLAUDE_STANDARD : CLAUDE_HIGH_RESOLUTION;
    }
    if (m.startsWith("gemini-")) {
      return m.startsWith("gemini-3") ? GEMINI_3 : GEMINI_TILES;
    }
    for (Family family : OPENAI) {
      if (family.matches(m)) {
        return family.bound();
      }
    }
    if (provider == null) {
      return LARGEST;
    }
    return switch (provider) {
      case ANTHROPIC -> CLAUDE_HIGH_RESOLUTION;
      case GEMINI -> GEMINI_TILES;
      case OPENAI, MISTRAL -> LARGEST;
    };
  }

  /**
   * Returns whether a Claude model sees images at the standard native size (1 568 px): Claude 3 and the Claude 4
   * models up to 4.6 (a bare {@code claude-opus-4}, a snapshot {@code -20250514}, or minor versions 0 to 6).
   */
  static boolean standardResolution(String m) {
    if (m.startsWith("claude-3")) {
      return true;
    }
    for (String family : CLAUDE_4) {
      if (m.startsWith(family)) {
        String rest = m.substring(family.length());
        if (rest.isEmpty()) {
          return true;
        }
        if ((rest.charAt(0) != '-' && rest.charAt(0) != '.') || rest.length() < 2) {
          return false;
        }
        boolean snapshot = rest.startsWith("20", 1);
        boolean minorUpTo6 = rest.charAt(1) >= '0' && rest.charAt(1) <= '6'
            && (rest.length() == 2 || !Character.isDigit(rest.charAt(2)));
        return snapshot || minorUpTo6;
      }
    }
    return false;
  }
}
