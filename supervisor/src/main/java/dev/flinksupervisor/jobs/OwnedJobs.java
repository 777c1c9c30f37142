package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs the sidecar submitted, by the id of their current run; kept in the ledger. */
public final class OwnedJobs implements LedgerSection {
  private final Map<String, OwnedJob> byJobId = new HashMap<>();
  private long version;

  public synchronized Optional<OwnedJob> get(String jobId) {
    return Optional.ofNullable(byJobId.get(jobId));
  }

  public synchronized List<OwnedJob> all() {
    return new ArrayList<>(byJobId.values());
  }

  /** Stores {@code job} under its current id, replacing the record of {@code previousId}. */
  public synchronized void put(String previousId, OwnedJob job) {
    if (previousId != null) {
      byJobId.remove(previousId);
    }
    byJobId.put(job.jobId(), job);
    version++;
  }

  public synchronized void remove(String jobId) {
    if (byJobId.remove(jobId) != null) {
      version++;
    }
  }

  @Override
  public String key() {
    return "jobs.json";
  }

  @Override
  public synchronized long version() {
    return version;
  }

  @Override
  public synchronized String export(int maxBytes) {
    try {
      return Json.mapper().writeValueAsString(byJobId);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Owned jobs cannot be written as JSON", e);
    }
  }

  @Override
  public synchronized void restore(String json) throws Exception {
    Map<String, OwnedJob> restored =
        Json.mapper().readValue(json, new TypeReference<Map<String, OwnedJob>>() {});
    byJobId.clear();
    byJobId.putAll(restored);
    version++;
  }
}
