package dev.flinksupervisor.push;

import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

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

  /** The names a meter may be tagged with; anything else is "other", so tags stay few. */
  private static final java.util.Set<String> KNOWN =
      java.util.Set.of(JOB_STATUS_CHANGE, JOB_FAILURE, CHECKPOINT);

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
  private volatile Instant lastHeard;

  /** Each source's last drop count; the least recently heard are forgotten beyond a few. */
  private final Map<String, Long> droppedBySource =
      java.util.Collections.synchronizedMap(new Sources<>());

  public PushHints(Targets targets, EventLog events, PushObserver observer, Clock clock) {
    this.targets = targets;
    this.events = events;
    this.observer = observer;
    this.clock = clock;
  }

  /** Whether a batch came from the JobManager within {@code window}. */
  public boolean heardWithin(Duration window) {
    Instant last = lastHeard;
    return last != null && last.plus(window).isAfter(clock.instant());
  }

  public void accept(PushBatch batch) {
    Instant now = clock.instant();
    lastHeard = now;
    boolean poll = false;
    boolean savepoints = false;
    for (PushBatch.Event e : batch.events()) {
      observer.received(
          e.name() != null && KNOWN.contains(e.name()) ? e.name() : "other",
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

  /**
   * A few sources by when they were last heard: one JobManager per pod, a new source with each of
   * its starts; more than {@link #MAX_SOURCES} means the oldest are gone.
   */
  public static final class Sources<V> extends java.util.LinkedHashMap<String, V> {
    public static final int MAX_SOURCES = 8;

    public Sources() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
      return size() > MAX_SOURCES;
    }
  }

  private static boolean isSavepoint(PushBatch.Event e) {
    String type = e.attribute("checkpointType");
    return type != null && type.toLowerCase(Locale.ROOT).contains("savepoint");
  }

  private void noteCounts(PushBatch batch) {
    observer.reported(batch.source(), batch.dropped(), batch.failedBatches(), batch.cost());
    Long before = droppedBySource.put(batch.source(), batch.dropped());
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
    } else if (batch.dropped() > before) { // counts only grow within one source
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
