package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A job the sidecar submitted, with what it needs to run it again.
 *
 * @param jobId the id of the job's current run
 * @param previousJobIds the ids of earlier runs, oldest first
 * @param attempts recovery attempts since the last run that did not fail
 * @param nextAttemptAt not before then is the next recovery attempt made
 * @param gaveUp why recovery stopped, once it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnedJob(
    String jobId,
    List<String> previousJobIds,
    JobSpec spec,
    Instant submittedAt,
    int attempts,
    Instant nextAttemptAt,
    String gaveUp) {

  /** The job's run after a restart: a new job id, the old one kept in the lineage. */
  public OwnedJob restartedAs(String newJobId, Instant at, Instant nextAttempt) {
    List<String> lineage = new java.util.ArrayList<>(previousJobIds);
    lineage.add(jobId);
    return new OwnedJob(newJobId, List.copyOf(lineage), spec, at, attempts + 1, nextAttempt, null);
  }

  /** The job's run with {@code newSpec} after it was stopped on purpose: attempts start over. */
  public OwnedJob rerunAs(String newJobId, JobSpec newSpec, Instant at) {
    List<String> lineage = new java.util.ArrayList<>(previousJobIds);
    lineage.add(jobId);
    return new OwnedJob(newJobId, List.copyOf(lineage), newSpec, at, 0, null, null);
  }

  public OwnedJob withAttemptFailed(Instant nextAttempt) {
    return new OwnedJob(
        jobId, previousJobIds, spec, submittedAt, attempts + 1, nextAttempt, gaveUp);
  }

  public OwnedJob givenUp(String reason) {
    return new OwnedJob(jobId, previousJobIds, spec, submittedAt, attempts, null, reason);
  }
}
