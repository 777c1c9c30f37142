package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.MapSection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs the sidecar submitted, by the id of their current run; kept in the ledger. */
public final class OwnedJobs extends MapSection<OwnedJob> {

  public OwnedJobs() {
    super("jobs.json", new TypeReference<Map<String, OwnedJob>>() {});
  }

  public Optional<OwnedJob> get(String jobId) {
    return find(jobId);
  }

  public List<OwnedJob> all() {
    return values();
  }

  /** Stores {@code job} under its current id, replacing the record of {@code previousId}. */
  public synchronized void put(String previousId, OwnedJob job) {
    if (previousId != null) {
      delete(previousId);
    }
    store(job.jobId(), job);
  }

  public void remove(String jobId) {
    delete(jobId);
  }
}
