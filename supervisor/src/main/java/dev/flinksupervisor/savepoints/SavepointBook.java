package dev.flinksupervisor.savepoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flinksupervisor.store.EntityMap;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Every savepoint record, per job, kept in the ledger under {@code savepoints.json}, with the
 * per-job policies. Records and policies are merged one by one with what another sidecar stored; a
 * record both changed keeps the one further along.
 *
 * <p>Bounded by design: the history (records disposed of, FAILED or ABANDONED) is capped per job
 * and overall, the oldest going first, and the records of a job that is gone are dropped by {@link
 * #forgetJob}. A live record (in flight, or completed and not disposed of) is never dropped by a
 * cap.
 */
public final class SavepointBook implements LedgerSection {
  /** History records kept per job. */
  static final int HISTORY_PER_JOB = 50;

  /** History records kept over all jobs. */
  static final int HISTORY_OVERALL = 1000;

  private final EntityMap<SavepointRecord> records = new EntityMap<>(SavepointBook::furtherAlong);
  private final EntityMap<SavepointPolicy> policies = new EntityMap<>((ours, theirs) -> ours);
  private long version;
  private long storedVersion;

  /** The persisted form: records newest first, and the per-job policies. */
  record Stored(List<SavepointRecord> records, Map<String, SavepointPolicy> policies) {}

  /** Of two versions of one record, the one further along (ended over in flight, more tries). */
  static SavepointRecord furtherAlong(SavepointRecord ours, SavepointRecord theirs) {
    int rank = Integer.compare(rank(ours), rank(theirs));
    if (rank != 0) {
      return rank > 0 ? ours : theirs;
    }
    return theirs.attempts() > ours.attempts() ? theirs : ours;
  }

  private static int rank(SavepointRecord r) {
    if (r.disposed()) {
      return 4;
    }
    return switch (r.state()) {
      case TRIGGER_PENDING -> 0;
      case IN_PROGRESS -> 1;
      case COMPLETED, FAILED, ABANDONED -> 2;
    };
  }

  static boolean isHistory(SavepointRecord r) {
    return r.disposed()
        || r.state() == SavepointState.FAILED
        || r.state() == SavepointState.ABANDONED;
  }

  /** A job's own policy, when one was set; otherwise the cluster default applies. */
  public synchronized Optional<SavepointPolicy> policy(String jobId) {
    return Optional.ofNullable(policies.get(jobId));
  }

  public synchronized void setPolicy(String jobId, SavepointPolicy policy) {
    if (policies.put(jobId, policy)) {
      version++;
    }
  }

  public synchronized void clearPolicy(String jobId) {
    if (policies.remove(jobId)) {
      version++;
    }
  }

  /** Whether the record is stored in the ledger with this trigger id (so it may be sent). */
  public synchronized boolean storedWithTrigger(String id, String triggerId) {
    SavepointRecord stored = records.storedValue(id);
    return stored != null && java.util.Objects.equals(triggerId, stored.triggerId());
  }

  public synchronized void put(SavepointRecord record) {
    if (records.put(record.id(), record)) {
      version++;
    }
    compact(record.jobId());
  }

  /**
   * Stores {@code record} unless the job has a savepoint in flight already.
   *
   * @return the record in flight that prevented it, if one did
   */
  public synchronized Optional<SavepointRecord> putUnlessInFlight(SavepointRecord record) {
    Optional<SavepointRecord> inFlight = inFlight(record.jobId());
    if (inFlight.isEmpty()) {
      put(record);
    }
    return inFlight;
  }

  /** Removes a record that was never acted on (its trigger was not sent). */
  public synchronized void remove(String id) {
    if (records.remove(id)) {
      version++;
    }
  }

  /** Applies {@code change} to the record if it exists; returns the new record. */
  public synchronized Optional<SavepointRecord> update(
      String id, UnaryOperator<SavepointRecord> change) {
    SavepointRecord current = records.get(id);
    if (current == null) {
      return Optional.empty();
    }
    SavepointRecord next = change.apply(current);
    if (records.put(id, next)) {
      version++;
    }
    if (isHistory(next)) {
      compact(next.jobId());
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
        .sorted(newestFirst())
        .toList();
  }

  private static Comparator<SavepointRecord> newestFirst() {
    return Comparator.comparing(SavepointRecord::requestedAt)
        .reversed()
        .thenComparing(SavepointRecord::id);
  }

  public synchronized List<SavepointRecord> all() {
    return List.copyOf(records.values());
  }

  /** The ids of the jobs that have records or a policy. */
  public synchronized Set<String> jobIds() {
    Set<String> out = new java.util.HashSet<>(policies.view().keySet());
    records.values().forEach(r -> out.add(r.jobId()));
    return out;
  }

  public synchronized List<SavepointRecord> inFlight() {
    return records.values().stream().filter(r -> r.state().inFlight()).toList();
  }

  public synchronized Optional<SavepointRecord> inFlight(String jobId) {
    // A registration being checked is no savepoint of the job being taken: it holds nothing up.
    return records.values().stream()
        .filter(
            r ->
                r.jobId().equals(jobId)
                    && r.state().inFlight()
                    && r.origin() != SavepointOrigin.REGISTERED)
        .findFirst();
  }

  /**
   * Drops every record and the policy of a job that is gone for good; the savepoint files stay
   * where they are. Records in flight are kept.
   *
   * @return how many records were dropped
   */
  public synchronized int forgetJob(String jobId) {
    int dropped = 0;
    for (SavepointRecord r : List.copyOf(records.values())) {
      if (r.jobId().equals(jobId) && !r.state().inFlight() && records.remove(r.id())) {
        dropped++;
      }
    }
    boolean policy = policies.remove(jobId);
    if (dropped > 0 || policy) {
      version++;
    }
    return dropped;
  }

  private void compact(String jobId) {
    List<SavepointRecord> history =
        records.values().stream()
            .filter(r -> r.jobId().equals(jobId) && isHistory(r))
            .sorted(newestFirst())
            .toList();
    for (SavepointRecord old :
        history.subList(Math.min(HISTORY_PER_JOB, history.size()), history.size())) {
      records.remove(old.id());
      version++;
    }
    List<SavepointRecord> all =
        records.values().stream().filter(SavepointBook::isHistory).sorted(newestFirst()).toList();
    for (SavepointRecord old : all.subList(Math.min(HISTORY_OVERALL, all.size()), all.size())) {
      records.remove(old.id());
      version++;
    }
  }

  /** Drops the oldest history records, over all jobs, worth about {@code bytes} bytes. */
  @Override
  public synchronized int shed(int bytes) {
    List<SavepointRecord> history =
        records.values().stream().filter(SavepointBook::isHistory).sorted(newestFirst()).toList();
    int freed = 0;
    for (int i = history.size() - 1; i >= 0 && freed < bytes; i--) {
      SavepointRecord old = history.get(i);
      freed += Json.writeString(old).length() + 1;
      records.remove(old.id());
      version++;
    }
    return freed;
  }

  @Override
  public String key() {
    return "savepoints.json";
  }

  @Override
  public synchronized boolean dirty() {
    return version != storedVersion;
  }

  @Override
  public synchronized Export export(int maxBytes) {
    List<SavepointRecord> sorted = new ArrayList<>(records.values());
    sorted.sort(Comparator.comparing(SavepointRecord::requestedAt).reversed());
    String json;
    try {
      json = Json.mapper().writeValueAsString(new Stored(sorted, new HashMap<>(policies.view())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Savepoint records cannot be written as JSON", e);
    }
    Map<String, SavepointRecord> recordsExported = records.snapshot();
    Map<String, SavepointPolicy> policiesExported = policies.snapshot();
    long exported = version;
    return new Export(
        json,
        () -> {
          synchronized (this) {
            records.stored(recordsExported);
            policies.stored(policiesExported);
            storedVersion = exported;
          }
        });
  }

  @Override
  public synchronized void merge(String stored) throws Exception {
    Map<String, SavepointRecord> theirRecords = new LinkedHashMap<>();
    Map<String, SavepointPolicy> theirPolicies = Map.of();
    if (stored != null) {
      Stored parsed = Json.recordMapper().readValue(stored, Stored.class);
      if (parsed.records() != null) {
        parsed.records().forEach(r -> theirRecords.put(r.id(), r));
      }
      if (parsed.policies() != null) {
        theirPolicies = parsed.policies();
      }
    }
    boolean same = records.merge(theirRecords) & policies.merge(theirPolicies);
    version++;
    if (same) {
      storedVersion = version;
    }
  }
}
