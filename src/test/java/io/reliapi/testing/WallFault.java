package io.reliapi.testing;

import java.util.Locale;
import java.util.Optional;

/**
 * The fault a {@link FaultWall} model name selects (failoverbench's {@code BEHAVIOURS}): the segment after the
 * last {@code /}, lower-cased, so a gateway may prefix its models ({@code s08/fb-s08-stream-cut}) and still
 * hit the right fault. {@code fb-ok} and {@code fb-ok-noprefill} are healthy; {@code fb-sNN-…} picks
 * scenario NN's fault, whatever follows the number.
 */
public enum WallFault {
  OK("ok", Stream.HEALTHY),
  OK_NOPREFILL("ok-noprefill", Stream.HEALTHY),
  RETRY_AFTER_ONCE("s01", Stream.HEALTHY),
  RATE_LIMITED("s02", Stream.HEALTHY),
  SERVER_ERROR_ONCE("s03", Stream.HEALTHY),
  OVERLOADED("s04", Stream.HEALTHY),
  RESET_ONCE("s05", Stream.HEALTHY),
  NO_RESPONSE("s06", Stream.HEALTHY),
  SLOW_FIRST_TOKEN("s07", Stream.SLOW),
  STREAM_CUT("s08", Stream.CUT),
  STREAM_STALL("s09", Stream.STALL),
  MALFORMED_CHUNK("s10", Stream.MALFORMED),
  NO_DONE("s11", Stream.NO_DONE),
  CONTEXT_LENGTH("s12", Stream.HEALTHY),
  CONTENT_FILTER("s13", Stream.HEALTHY),
  /** S08's fault; the scenario differs in its fallback ({@code fb-ok-noprefill}). */
  STREAM_CUT_NO_PREFILL_FALLBACK("s14", Stream.CUT),
  FLAP("s15", Stream.HEALTHY),
  /** S04's fault; the scenario scores what the caller is told about the fallback's answer. */
  OVERLOADED_ACCOUNTING("s16", Stream.HEALTHY);

  /** How an answer that gets as far as a 200 misbehaves. */
  public enum Stream { HEALTHY, SLOW, CUT, STALL, MALFORMED, NO_DONE }

  /** The tag in the model name: {@code ok}, {@code ok-noprefill} or {@code s01}…{@code s16}. */
  public final String tag;
  public final Stream stream;

  WallFault(String tag, Stream stream) {
    this.tag = tag;
    this.stream = stream;
  }

  /** Returns the fault {@code model} selects, or empty for a model the wall does not know (404). */
  public static Optional<WallFault> forModel(String model) {
    String name = lastSegment(model);
    if (!name.startsWith("fb-")) {
      return Optional.empty();
    }
    String rest = name.substring(3);
    String tag = rest.equals("ok") || rest.equals("ok-noprefill") ? rest : rest.split("-", 2)[0];
    for (WallFault fault : values()) {
      if (fault.tag.equals(tag)) {
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  /** The part of a model name the wall and the scorecard key on: after the last {@code /}, lower-cased. */
  public static String lastSegment(String model) {
    String name = model == null ? "" : model;
    return name.substring(name.lastIndexOf('/') + 1).strip().toLowerCase(Locale.ROOT);
  }
}
