package dev.flinksupervisor.store;

/** Who hears what happens to the sidecar's record (events); every method has a quiet default. */
public interface RecordObserver {
  RecordObserver NONE = new RecordObserver() {};

  /** A read failed; {@code failures} in a row so far. */
  default void readFailed(String reason, int failures) {}

  /** The record was read after {@code failures} failed reads. */
  default void readAfterFailures(int failures) {}

  /**
   * A section that cannot be parsed was moved aside under {@code movedTo}; it is never replaced.
   */
  default void quarantined(String key, String movedTo, String reason) {}

  /** A write found the record changed by someone else; it is read, merged and written again. */
  default void conflict(String reason) {}

  /** A write failed; the changes stay in memory and are written at the next attempt. */
  default void writeFailed(String reason) {}

  /** The record does not fit its budget even after compaction; nothing is saved until it does. */
  default void overBudget(int bytes, int capacity) {}

  /** A write succeeded after failed ones (or after the record was over budget). */
  default void writeRecovered() {}
}
