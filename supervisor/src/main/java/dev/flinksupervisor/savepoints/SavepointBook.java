package dev.flinksupervisor.savepoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every savepoint record, per job, kept in the ledger under {@code savepoints.json}. The book never
 * drops a record by itself; retention marks records disposed and {@link #compact} removes only
 * disposed or ended records beyond a per-job cap.
 */
public final class SavepointBook implements LedgerSection {
  /** Ended or disposed records kept per job beyond the live ones, for history. */
  static final int HISTORY_PER_JOB = 50;

  private final Map<String, SavepointRecord> records = new HashMap<>();
  private final Map<String, SavepointPolicy> policies = new HashMap<>();
  private long version;

  /** The persisted form: records newest first, and the per-job policies. */
  record Stored(List<SavepointRecord> records, Map<String, SavepointPolicy> policies) {}

  /** A job's own policy, when one was set; otherwise the cluster default applies. */
  public synchronized Optional<SavepointPolicy> policy(String jobId) {
    return Optional.ofNullable(policies.get(jobId));
  }

  public synchronized void setPolicy(String jobId, SavepointPolicy policy) {
    policies.put(jobId, policy);
    version++;
  }

  public synchronized void put(SavepointRecord record) {
    records.put(record.id(), record);
    version++;
    compact(record.jobId());
  }

  /** Applies {@code change} to the record if it exists; returns the new record. */
  public synchronized Optional<SavepointRecord> update(
      String id, UnaryOperator<SavepointRecord> change) {
    SavepointRecord current = records.get(id);
    if (current == null) {
      return Optional.empty();
    }
    SavepointRecord next = change.apply(current);
    if (!next.equals(current)) {
      records.put(id, next);
      version++;
    }
    return Optional.of(next);
  }

  public synchronized Optional<SavepointRecord> get(String id) {
    return Optional.ofNullable(records.get(id));
  }

  /** A job's records, newest first. */
  public synchronized List<SavepointRecord> ofJob(String jobId) {
    return records.values().stream()
        .filter(r -> r.jobId().equals(jobId))
        .sorted(
            Comparator.comparing(SavepointRecord::requestedAt)
                .reversed()
                .thenComparing(SavepointRecord::id))
        .toList();
  }

  public synchronized List<SavepointRecord> all() {
    return List.copyOf(records.values());
  }

  public synchronized List<SavepointRecord> inFlight() {
    return records.values().stream().filter(r -> r.state().inFlight()).toList();
  }

  public synchronized Optional<SavepointRecord> inFlight(String jobId) {
    return records.values().stream()
        .filter(r -> r.jobId().equals(jobId) && r.state().inFlight())
        .findFirst();
  }

  private void compact(String jobId) {
    List<SavepointRecord> history =
        ofJob(jobId).stream()
            .filter(
                r ->
                    r.disposed()
                        || r.state() == SavepointState.FAILED
                        || r.state() == SavepointState.ABANDONED)
            .toList();
    for (SavepointRecord old :
        history.subList(Math.min(HISTORY_PER_JOB, history.size()), history.size())) {
      records.remove(old.id());
    }
  }

  @Override
  public String key() {
    return "savepoints.json";
  }

  @Override
  public synchronized long version() {
    return version;
  }

  @Override
  public synchronized String export(int maxBytes) {
    List<SavepointRecord> sorted = new ArrayList<>(records.values());
    sorted.sort(Comparator.comparing(SavepointRecord::requestedAt).reversed());
    try {
      return Json.mapper().writeValueAsString(new Stored(sorted, new HashMap<>(policies)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Savepoint records cannot be written as JSON", e);
    }
  }

  @Override
  public synchronized void restore(String json) throws Exception {
    Stored stored = Json.mapper().readValue(json, Stored.class);
    records.clear();
    for (SavepointRecord r : stored.records()) {
      records.put(r.id(), r);
    }
    policies.clear();
    if (stored.policies() != null) {
      policies.putAll(stored.policies());
    }
    version++;
  }
}
