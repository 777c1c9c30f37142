package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.jobs.OwnedJob.Submission;
import dev.flinksupervisor.store.MapSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The jobs the sidecar submitted, by the id of their current run; kept in the ledger. When two
 * sidecars changed the same job, the one whose submission is settled wins, then the one with more
 * recovery attempts.
 */
public final class OwnedJobs extends MapSection<OwnedJob> {

  public OwnedJobs() {
    super("jobs.json", new TypeReference<LinkedHashMap<String, OwnedJob>>() {});
  }

  @Override
  protected OwnedJob resolve(OwnedJob ours, OwnedJob theirs) {
    boolean oursSettled = ours.submission() != Submission.PENDING;
    boolean theirsSettled = theirs.submission() != Submission.PENDING;
    if (oursSettled != theirsSettled) {
      return oursSettled ? ours : theirs;
    }
    return theirs.attempts() > ours.attempts() ? theirs : ours;
  }

  public Optional<OwnedJob> get(String jobId) {
    return find(jobId);
  }

  public List<OwnedJob> all() {
    return values();
  }

  /** Stores {@code job} under its current id, replacing the record of {@code previousId}. */
  public synchronized void put(String previousId, OwnedJob job) {
    if (previousId != null && !previousId.equals(job.jobId())) {
      delete(previousId);
    }
    store(job.jobId(), job);
  }

  public void remove(String jobId) {
    delete(jobId);
  }
}
