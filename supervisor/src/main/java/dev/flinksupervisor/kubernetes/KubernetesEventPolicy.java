package dev.flinksupervisor.kubernetes;

import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: which of the sidecar's events become Kubernetes Events on its pod (what matters to a person
 * running {@code kubectl describe}: jobs failing and recovering, restart loops, savepoints,
 * re-profiles, leader changes), with which reason and type, and how many may be written: a token
 * bucket per pod, as Kubernetes' own event spam filter does (a burst, then one per interval).
 */
public final class KubernetesEventPolicy {
  /** A Kubernetes Event to write: its reason (CamelCase), type (Normal/Warning) and message. */
  public record Note(String reason, String type, String message) {}

  private static final Map<String, String> REASONS =
      Map.ofEntries(
          Map.entry(EventTypes.JOB_FAILURE, "JobFailed"),
          Map.entry(EventTypes.HEALTH_CHANGED, "JobHealthChanged"),
          Map.entry(EventTypes.STATE_REGRESSED, "JobStateRegressed"),
          Map.entry(EventTypes.RECOVERY_STARTED, "JobRecovering"),
          Map.entry(EventTypes.RECOVERY_GAVE_UP, "JobRecoveryGaveUp"),
          Map.entry(EventTypes.SAVEPOINT_COMPLETED, "SavepointCompleted"),
          Map.entry(EventTypes.SAVEPOINT_FAILED, "SavepointFailed"),
          Map.entry(EventTypes.SAVEPOINT_STALE, "SavepointStale"),
          Map.entry(EventTypes.REPROFILE_COMPLETED, "Reprofiled"),
          Map.entry(EventTypes.REPROFILE_ROLLED_BACK, "ReprofileRolledBack"),
          Map.entry(EventTypes.REPROFILE_FAILED, "ReprofileFailed"),
          Map.entry(EventTypes.LEADER_CHANGED, "LeaderChanged"),
          Map.entry(EventTypes.JOBMANAGER_RESTARTED, "JobManagerRestarted"),
          Map.entry(EventTypes.JOBMANAGER_RESTART_LOOP, "JobManagerRestartLoop"));

  /** Kubernetes keeps an Event's message short; longer ones are cut here. */
  static final int MAX_MESSAGE = 1024;

  private final Clock clock;
  private final int burst;
  private final Duration refill;
  private double tokens;
  private Instant refilledAt;

  /**
   * @param burst events written at once before the bucket is empty
   * @param refill one more event may be written per this much time
   */
  public KubernetesEventPolicy(Clock clock, int burst, Duration refill) {
    this.clock = clock;
    this.burst = burst;
    this.refill = refill;
    this.tokens = burst;
    this.refilledAt = clock.instant();
  }

  /** The Kubernetes Event for a sidecar event, if it is one a person describing the pod needs. */
  public static Optional<Note> noteOf(Event event) {
    String reason = REASONS.get(event.type());
    if (reason == null) {
      return Optional.empty();
    }
    boolean normal =
        event.type().equals(EventTypes.HEALTH_CHANGED)
            ? event.message().contains("is HEALTHY")
            : event.severity() == Severity.INFO;
    String type = normal ? "Normal" : "Warning";
    String message = (event.jobId() == null ? "" : "job " + event.jobId() + ": ") + event.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    return Optional.of(new Note(reason, type, message));
  }

  /** Whether one more event may be written now; takes a token if so. */
  public synchronized boolean mayWrite() {
    Instant now = clock.instant();
    double earned = (double) Duration.between(refilledAt, now).toMillis() / refill.toMillis();
    tokens = Math.min(burst, tokens + Math.max(0, earned));
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
