package dev.flinksupervisor.push;

import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the JobManager pushes, taken as hints: a job's status change or failure makes supervision
 * poll at once, and records what the JobManager then answers (so a change pushed and polled is
 * recorded once); a savepoint that completed or failed makes the savepoint tracker look at once.
 * Nothing pushed is recorded as it is: with no plugin, polling alone is correct.
 */
public final class PushHints {
  public static final String JOB_STATUS_CHANGE = "JobStatusChangeEvent";
  public static final String JOB_FAILURE = "JobFailureEvent";
  public static final String CHECKPOINT = "CheckpointEvent";

  /** What a hint can set in motion. */
  public interface Targets {
    /** Polls the JobManager now; many calls before the poll starts make one poll. */
    void pollSoon();

    /** The JobManager says {@code jobId} failed at {@code failedAt}: read its exceptions. */
    void failureAnnounced(String jobId, long failedAt);

    /** Looks at the savepoints in flight now. */
    void checkSavepoints();
  }

  private final Targets targets;
  private final EventLog events;
  private final PushObserver observer;
  private final Clock clock;
  private final Map<String, Long> droppedByReporter = new ConcurrentHashMap<>();

  public PushHints(Targets targets, EventLog events, PushObserver observer, Clock clock) {
    this.targets = targets;
    this.events = events;
    this.observer = observer;
    this.clock = clock;
  }

  public void accept(PushBatch batch) {
    Instant now = clock.instant();
    boolean poll = false;
    boolean savepoints = false;
    for (PushBatch.Event e : batch.events()) {
      observer.received(
          e.name() == null ? "unknown" : e.name(),
          Duration.between(Instant.ofEpochMilli(e.observedAt()), now));
      if (JOB_STATUS_CHANGE.equals(e.name())) {
        poll = true;
      } else if (JOB_FAILURE.equals(e.name()) && e.jobId() != null) {
        targets.failureAnnounced(e.jobId(), e.observedAt());
      } else if (CHECKPOINT.equals(e.name()) && isSavepoint(e)) {
        savepoints = true;
        poll = true; // the job's newest savepoint, in its checkpoint statistics
      }
    }
    if (savepoints) {
      targets.checkSavepoints();
    }
    if (poll) {
      targets.pollSoon();
    }
    noteCounts(batch);
  }

  private static boolean isSavepoint(PushBatch.Event e) {
    String type = e.attribute("checkpointType");
    return type != null && type.toLowerCase(Locale.ROOT).contains("savepoint");
  }

  private void noteCounts(PushBatch batch) {
    observer.reported(batch.reporter(), batch.dropped(), batch.failedBatches(), batch.cost());
    Long before = droppedByReporter.put(batch.reporter(), batch.dropped());
    if (before == null) {
      events.record(
          EventTypes.PUSH_STARTED,
          Severity.INFO,
          null,
          "The JobManager on "
              + batch.reporter()
              + " pushes its events"
              + (batch.dropped() > 0
                  ? " (it dropped " + batch.dropped() + " before this sidecar heard it)"
                  : ""));
    } else if (batch.dropped() > before) {
      events.record(
          EventTypes.PUSH_EVENTS_DROPPED,
          Severity.WARNING,
          null,
          "The JobManager on "
              + batch.reporter()
              + " dropped "
              + (batch.dropped() - before)
              + " events it could not push (queue full, or this sidecar did not answer);"
              + " polling saw their effects");
    }
  }
}
