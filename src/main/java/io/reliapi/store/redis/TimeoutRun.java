package io.reliapi.store.redis;

/**
 * The run of command timeouts that counts Redis as lost: commands timing out with none answered between them,
 * each sent after the run's previous timeout had fired. Commands that were in flight together and time out
 * together saw one slow moment (a late event loop, a burst of new TLS connections on a busy machine), however
 * many they are; only a Redis that stays silent to command after command, across {@code limit} time limits, is
 * judged lost this way.
 *
 * <p>Commands are numbered as they are sent; {@code mark} is the number the next command sent got when the
 * run last grew, so a command numbered below it was already in flight then.
 *
 * @param length timeouts counted in this run
 * @param mark the first command number that can lengthen the run
 */
record TimeoutRun(int length, long mark) {
  static final TimeoutRun NONE = new TimeoutRun(0, 0);

  /**
   * Returns the run after command {@code sent} timed out, {@code next} being the number the next command
   * sent will get: longer by one if the command was sent after the run last grew, unchanged otherwise.
   */
  TimeoutRun afterTimeout(long sent, long next) {
    return sent >= mark ? new TimeoutRun(length + 1, next) : this;
  }

  /** Returns the run after a command got an answer: ended, while commands already in flight stay siblings. */
  TimeoutRun afterAnswer() {
    return new TimeoutRun(0, mark);
  }

  /** Returns whether the run is long enough to count Redis as lost. */
  boolean reaches(int limit) {
    return length >= limit;
  }
}
