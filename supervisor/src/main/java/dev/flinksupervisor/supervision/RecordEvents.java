package dev.flinksupervisor.supervision;

import dev.flinksupervisor.store.RecordObserver;

/** What happens to the sidecar's record, as events. */
public final class RecordEvents implements RecordObserver {
  private final EventLog events;

  public RecordEvents(EventLog events) {
    this.events = events;
  }

  @Override
  public void readFailed(String reason, int failures) {
    if (failures == 1) {
      events.record(
          EventTypes.RECORD_UNREADABLE,
          Severity.ERROR,
          null,
          "The sidecar's record cannot be read; nothing is written and no action is taken until"
              + " it is: "
              + reason);
    }
  }

  @Override
  public void readAfterFailures(int failures) {
    events.record(
        EventTypes.RECORD_READ,
        Severity.INFO,
        null,
        "The sidecar's record was read after " + failures + " failed attempt(s)");
  }

  @Override
  public void quarantined(String key, String movedTo, String reason) {
    events.record(
        EventTypes.RECORD_SECTION_QUARANTINED,
        Severity.ERROR,
        null,
        "The record's section '"
            + key
            + "' cannot be read ("
            + reason
            + "); it is kept as it was under '"
            + movedTo
            + "' and the section starts over");
  }

  @Override
  public void conflict(String reason) {
    events.record(
        EventTypes.RECORD_CONFLICT,
        Severity.WARNING,
        null,
        "The sidecar's record was written by someone else; merged entity by entity: " + reason);
  }

  @Override
  public void writeFailed(String reason) {
    events.record(
        EventTypes.RECORD_WRITE_FAILED,
        Severity.ERROR,
        null,
        "Writing the sidecar's record failed; changes are kept and written again, and no"
            + " savepoint or submission starts until they are: "
            + reason);
  }

  @Override
  public void overBudget(int bytes, int capacity) {
    events.record(
        EventTypes.RECORD_OVER_BUDGET,
        Severity.ERROR,
        null,
        "The sidecar's record needs "
            + bytes
            + " bytes even after compaction, more than its "
            + capacity
            + "; nothing is saved until it fits");
  }

  @Override
  public void writeRecovered() {
    events.record(
        EventTypes.RECORD_WRITTEN_AGAIN,
        Severity.INFO,
        null,
        "The sidecar's record is written again");
  }
}
