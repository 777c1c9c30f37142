package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job the sidecar submitted, with what it needs to run it again.
 *
 * @param jobId the id of the job's current run; recorded before that run is submitted
 * @param previousJobIds the ids of earlier runs, oldest first; the newest {@link #LINEAGE_KEPT}
 * @param attempts recovery attempts since the last run that did not fail
 * @param nextAttemptAt not before then is the next recovery attempt made
 * @param gaveUp why recovery stopped, once it did
 * @param submission where the current run's submission stands
 * @param submissionError why Flink did not take the current run, when it did not
 * @param endedAt when the current run was first seen finished, cancelled or failed for good; the
 *     job is forgotten a retention period later
 * @param restorePath the state the current run starts from, when it is a restart
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnedJob(
    String jobId,
    List<String> previousJobIds,
    JobSpec spec,
    Instant submittedAt,
    int attempts,
    Instant nextAttemptAt,
    String gaveUp,
    Submission submission,
    String submissionError,
    Instant endedAt,
    String restorePath) {

  /** Earlier runs' ids kept per job. */
  public static final int LINEAGE_KEPT = 20;

  /** Where the submission of a run stands. */
  public enum Submission {
    /** Recorded; not yet accepted by Flink (or the sidecar stopped before it knew). */
    PENDING,
    /** Flink accepted the run. */
    SUBMITTED,
    /** Flink did not accept the run, or it was never sent; {@code submissionError} says why. */
    REFUSED
  }

  public OwnedJob {
    previousJobIds = previousJobIds == null ? List.of() : List.copyOf(previousJobIds);
    submission = submission == null ? Submission.SUBMITTED : submission;
  }

  /** A new job, recorded before it is submitted. */
  static OwnedJob pending(String jobId, JobSpec spec, Instant at) {
    return new OwnedJob(
        jobId, List.of(), spec, at, 0, null, null, Submission.PENDING, null, null, null);
  }

  /** The job's run after a restart: a new job id, recorded before it is submitted. */
  public OwnedJob restartedAs(
      String newJobId, Instant at, Instant nextAttempt, String restoreFrom) {
    return new OwnedJob(
        newJobId,
        lineage(),
        spec,
        at,
        attempts + 1,
        nextAttempt,
        null,
        Submission.PENDING,
        null,
        null,
        restoreFrom);
  }

  /** The job's run with {@code newSpec} after it was stopped on purpose: attempts start over. */
  public OwnedJob rerunAs(String newJobId, JobSpec newSpec, Instant at) {
    return new OwnedJob(
        newJobId, lineage(), newSpec, at, 0, null, null, Submission.SUBMITTED, null, null, null);
  }

  private List<String> lineage() {
    List<String> ids = new ArrayList<>(previousJobIds);
    ids.add(jobId);
    return ids.subList(Math.max(0, ids.size() - LINEAGE_KEPT), ids.size());
  }

  /** Flink accepted the current run. */
  public OwnedJob submitted() {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts,
        nextAttemptAt,
        gaveUp,
        Submission.SUBMITTED,
        null,
        endedAt,
        restorePath);
  }

  /** The current run was not accepted (or never sent), for {@code reason}. */
  public OwnedJob refused(String reason, Instant at) {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts,
        nextAttemptAt,
        gaveUp,
        Submission.REFUSED,
        reason,
        endedAt == null ? at : endedAt,
        restorePath);
  }

  /** The same record, its spec's argument values redacted, for callers who may not see them. */
  public OwnedJob withArgumentValuesRedacted() {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec.withArgumentValuesRedacted(),
        submittedAt,
        attempts,
        nextAttemptAt,
        gaveUp,
        submission,
        submissionError,
        endedAt,
        restorePath);
  }

  public OwnedJob withAttemptFailed(Instant nextAttempt) {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts + 1,
        nextAttempt,
        gaveUp,
        submission,
        submissionError,
        endedAt,
        restorePath);
  }

  /** The run has been running long enough: recovery starts counting afresh. */
  public OwnedJob attemptsReset() {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        0,
        null,
        gaveUp,
        submission,
        submissionError,
        endedAt,
        restorePath);
  }

  /** The next recovery attempt is not made before {@code at}. */
  public OwnedJob withNextAttempt(Instant at) {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts,
        at,
        gaveUp,
        submission,
        submissionError,
        endedAt,
        restorePath);
  }

  public OwnedJob givenUp(String reason) {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts,
        null,
        reason,
        submission,
        submissionError,
        endedAt,
        restorePath);
  }

  /** The current run ended (for good) at {@code at}, or null: it runs again. */
  public OwnedJob endedAt(Instant at) {
    return new OwnedJob(
        jobId,
        previousJobIds,
        spec,
        submittedAt,
        attempts,
        nextAttemptAt,
        gaveUp,
        submission,
        submissionError,
        at,
        restorePath);
  }
}
