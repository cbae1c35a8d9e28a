package io.reliapi.testing;

import io.vertx.core.json.JsonObject;

/**
 * One request the {@link FaultWall} received on its chat route: when (seconds since the last reset), for which
 * model, the how-many-th for that model, whether it asked for a stream, the role of the last message, the
 * prompt's size, and what the wall did with it. The action is filled in as the answer unfolds (a stream's
 * fault happens after the request was logged).
 */
public final class WallAttempt {
  private final double t;
  private final int seq;
  private final String model;
  private final String tag;
  private final int attempt;
  private final boolean stream;
  private final String lastRole;
  private volatile Integer promptTokens;
  private volatile String action;
  private volatile Double clientGaveUpAfterS;

  WallAttempt(double t, int seq, String model, String tag, int attempt, boolean stream, String lastRole) {
    this.t = t;
    this.seq = seq;
    this.model = model;
    this.tag = tag;
    this.attempt = attempt;
    this.stream = stream;
    this.lastRole = lastRole;
  }

  public double t() {
    return t;
  }

  /** The number of this chat request since the reset; its answer's id is {@code chatcmpl-fb-N}. */
  int seq() {
    return seq;
  }

  public String model() {
    return model;
  }

  /** The fault tag ({@code s08}, {@code ok}), or null for an unknown model. */
  public String tag() {
    return tag;
  }

  public int attempt() {
    return attempt;
  }

  public boolean stream() {
    return stream;
  }

  public String lastRole() {
    return lastRole;
  }

  /** Σ(words + 4) over the messages, or null when the request was rejected before it was measured. */
  public Integer promptTokens() {
    return promptTokens;
  }

  public String action() {
    return action;
  }

  /** Seconds the silent scenario waited before the caller hung up, or null if it did not. */
  public Double clientGaveUpAfterS() {
    return clientGaveUpAfterS;
  }

  void promptTokens(int tokens) {
    this.promptTokens = tokens;
  }

  void action(String action) {
    this.action = action;
  }

  /** Sets the action unless the answer already named one (a recovered flap, a slow first token). */
  void actionIfUnset(String action) {
    if (this.action == null) {
      this.action = action;
    }
  }

  void clientGaveUpAfterS(double seconds) {
    this.clientGaveUpAfterS = seconds;
  }

  public JsonObject toJson() {
    return new JsonObject().put("t", t).put("model", model).put("tag", tag).put("attempt", attempt)
        .put("stream", stream).put("last_role", lastRole).put("prompt_tokens", promptTokens).put("action", action)
        .put("client_gave_up_at", clientGaveUpAfterS);
  }

  @Override
  public String toString() {
    return "%.2fs %s #%d -> %s".formatted(t, WallFault.lastSegment(model), attempt, action);
  }
}
