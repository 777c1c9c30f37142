package dev.flinksupervisor.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Follows the JobManager container's restarts, from its pod's status: records each restart as an
 * event with the reason the container ended (an {@code OOMKilled} loop shows as what it is, not as
 * "deploying"), keeps the latest status in the cluster's state, and says when the restarts within a
 * window exceed a limit: a restart loop, a cluster-level health reason.
 */
public final class JobManagerRestarts {
  /** The cluster-level health reason of a JobManager that restarts in a loop. */
  public static final String RESTART_LOOP = "JOBMANAGER_RESTART_LOOP";

  private final ClusterState state;
  private final EventLog events;
  private final int limit;
  private final Duration window;
  private final Deque<Instant> restartsSeen = new ArrayDeque<>();
  private Integer lastCount;
  private boolean looping;

  public JobManagerRestarts(ClusterState state, EventLog events, int limit, Duration window) {
    this.state = state;
    this.events = events;
    this.limit = limit;
    this.window = window;
  }

  /** What the pod's status says now; called by the watch of the pod, one update at a time. */
  public synchronized void observe(JobManagerContainer container, Instant now) {
    if (lastCount != null && container.restarts() > lastCount) {
      for (int i = lastCount; i < container.restarts(); i++) {
        restartsSeen.addLast(now);
      }
      events.record(
          EventTypes.JOBMANAGER_RESTARTED,
          Severity.WARNING,
          null,
          "The JobManager container "
              + container.container()
              + " of pod "
              + container.pod()
              + " restarted (restart "
              + container.restarts()
              + ")"
              + Optional.ofNullable(container.lastTermination())
                  .map(t -> ": it " + t.describe())
                  .orElse(""));
    }
    lastCount = container.restarts();
    while (!restartsSeen.isEmpty() && restartsSeen.peekFirst().isBefore(now.minus(window))) {
      restartsSeen.removeFirst();
    }
    boolean loop = restartsSeen.size() > limit;
    Optional<Health.Reason> reason =
        loop
            ? Optional.of(
                new Health.Reason(
                    RESTART_LOOP,
                    Verdict.UNHEALTHY,
                    "The JobManager container restarted "
                        + restartsSeen.size()
                        + " times in the last "
                        + window.toMinutes()
                        + " min (limit "
                        + limit
                        + ")"
                        + Optional.ofNullable(container.lastTermination())
                            .map(t -> "; it last " + t.describe())
                            .orElse("")
                        + "."))
            : Optional.empty();
    if (loop && !looping) {
      events.record(
          EventTypes.JOBMANAGER_RESTART_LOOP, Severity.ERROR, null, reason.get().message());
    }
    looping = loop;
    state.update(s -> s.withJobManager(container, reason));
  }
}
