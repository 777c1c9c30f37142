package dev.flinksupervisor;

import dev.flinksupervisor.jobs.JarFiles;
import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.RestorableRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the record bounded by design: forgets the jobs the sidecar submitted once they ended for
 * good longer than the retention ago, the savepoint records, policies and restorable states of
 * other jobs gone as long, and deletes uploaded jars no job refers to.
 */
public final class Housekeeping implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  /** An uploaded jar younger than this is kept: its submission may be being recorded. */
  static final Duration UPLOAD_GRACE = Duration.ofHours(1);

  /**
   * A job is missing from the cluster's list at least this long (or the retention, if shorter)
   * before anything of it is forgotten: a new leader lists its jobs only once it recovered them.
   */
  static final Duration MIN_GONE = Duration.ofMinutes(10);

  private final JobService jobs;
  private final SavepointBook savepoints;
  private final HealthPolicies health;
  private final RestorableRecord restorable;
  private final JarFiles jars;
  private final ClusterState cluster;
  private final BooleanSupplier fresh;
  private final Duration retention;
  private final Clock clock;
  private final Map<String, Instant> goneSince = new HashMap<>();

  /**
   * @param fresh whether the cluster's job list is fresh: only then does a job missing from it
   *     count as gone
   */
  public Housekeeping(
      JobService jobs,
      SavepointBook savepoints,
      HealthPolicies health,
      RestorableRecord restorable,
      JarFiles jars,
      ClusterState cluster,
      BooleanSupplier fresh,
      Duration retention,
      Clock clock) {
    this.jobs = jobs;
    this.savepoints = savepoints;
    this.health = health;
    this.restorable = restorable;
    this.jars = jars;
    this.cluster = cluster;
    this.fresh = fresh;
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public void run() {
    Instant now = clock.instant();
    jobs.expireEnded();
    if (fresh.getAsBoolean()) {
      forgetGoneJobs(cluster.snapshot(), now);
    }
    List<String> deleted = jars.deleteUnreferenced(jobs.uploadedJarsInUse(), UPLOAD_GRACE, now);
    if (!deleted.isEmpty()) {
      LOG.info("Deleted uploaded jars no job refers to any more: {}", deleted);
    }
  }

  private void forgetGoneJobs(ClusterSnapshot snapshot, Instant now) {
    Set<String> live = new HashSet<>();
    snapshot
        .jobs()
        .forEach(
            (id, view) -> {
              if (!view.summary().status().isGloballyTerminalState()) {
                live.add(id);
              }
            });
    live.addAll(jobs.allRuns());
    Set<String> known = new HashSet<>(savepoints.jobIds());
    known.addAll(health.jobIds());
    goneSince.keySet().retainAll(known);
    for (String jobId : known) {
      if (live.contains(jobId)) {
        goneSince.remove(jobId);
        continue;
      }
      Instant gone = goneSince.computeIfAbsent(jobId, k -> now);
      Duration minimum = retention.compareTo(MIN_GONE) < 0 ? retention : MIN_GONE;
      Instant since =
          savepoints.ofJob(jobId).stream()
              .map(Housekeeping::lastActivity)
              .filter(Objects::nonNull)
              .max(Instant::compareTo)
              .orElse(gone);
      if (!gone.plus(minimum).isAfter(now)
          && since.plus(retention).isBefore(now)
          && savepoints.ofJob(jobId).stream().noneMatch(r -> r.state().inFlight())) {
        int dropped = savepoints.forgetJob(jobId);
        health.forget(jobId);
        goneSince.remove(jobId);
        LOG.info(
            "Forgot job {} ({} savepoint records and its policies): gone since before {}",
            jobId,
            dropped,
            since);
      }
    }
    restorable.expire(live, retention, now);
  }

  private static Instant lastActivity(SavepointRecord r) {
    return r.completedAt() != null ? r.completedAt() : r.requestedAt();
  }
}
