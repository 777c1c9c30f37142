package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.store.EntityMap;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The newest restorable state of every job, kept in the sidecar's record: after a restart, and
 * while no JobManager answers, the sidecar still knows where each job can be restored from. Merged
 * job by job with what another sidecar stored, the newer checkpoint winning; bounded by a cap and
 * by the retention of jobs that are gone.
 */
public final class RestorableRecord implements LedgerSection {
  /** Entries kept at most; the least recently changed go first. */
  static final int CAPACITY = 1000;

  /** One job's newest restorable state. */
  public record Entry(
      String jobId,
      String name,
      String status,
      CheckpointInfo checkpoint,
      JobView.Source source,
      Instant observedAt) {}

  private final EntityMap<Entry> entries = new EntityMap<>(RestorableRecord::newer);
  private long version;
  private long storedVersion;

  private static Entry newer(Entry ours, Entry theirs) {
    return theirs.checkpoint().completedAt() > ours.checkpoint().completedAt() ? theirs : ours;
  }

  /** Records the jobs' newest restorable states; only changes count as changes. */
  public synchronized void update(Iterable<JobView> jobs, Instant at) {
    for (JobView view : jobs) {
      Optional<JobView.Restorable> restorable = view.restorable();
      if (restorable.isEmpty()) {
        continue;
      }
      Entry before = entries.get(view.id());
      String status = view.summary().status().name();
      if (before != null
          && before.checkpoint().equals(restorable.get().checkpoint())
          && before.status().equals(status)) {
        continue;
      }
      entries.remove(view.id());
      entries.put(
          view.id(),
          new Entry(
              view.id(),
              view.summary().name(),
              status,
              restorable.get().checkpoint(),
              restorable.get().source(),
              at));
      version++;
    }
    while (entries.size() > CAPACITY) {
      entries.remove(entries.view().keySet().iterator().next());
      version++;
    }
  }

  /**
   * Drops the entries of jobs not in {@code live} whose state was last seen more than {@code
   * retention} before {@code now}.
   */
  public synchronized void expire(Set<String> live, Duration retention, Instant now) {
    for (Entry e : entries.copyOfValues()) {
      if (!live.contains(e.jobId())
          && e.observedAt().plus(retention).isBefore(now)
          && entries.remove(e.jobId())) {
        version++;
      }
    }
  }

  public synchronized Optional<Entry> get(String jobId) {
    return Optional.ofNullable(entries.get(jobId));
  }

  /** Newest change first. */
  public synchronized List<Entry> all() {
    List<Entry> out = entries.copyOfValues();
    out.sort(Comparator.comparing(Entry::observedAt).reversed());
    return out;
  }

  @Override
  public String key() {
    return "restorable.json";
  }

  @Override
  public synchronized boolean dirty() {
    return version != storedVersion;
  }

  @Override
  public synchronized Export export(int maxBytes) {
    String json;
    try {
      json = Json.mapper().writeValueAsString(new ArrayList<>(entries.values()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Restorable states cannot be written as JSON", e);
    }
    Map<String, Entry> exported = entries.snapshot();
    long exportedVersion = version;
    return new Export(
        json,
        () -> {
          synchronized (this) {
            entries.stored(exported);
            storedVersion = exportedVersion;
          }
        });
  }

  @Override
  public synchronized void merge(String stored) throws Exception {
    Map<String, Entry> theirs = new LinkedHashMap<>();
    if (stored != null) {
      List<Entry> parsed =
          Json.recordMapper().readValue(stored, new TypeReference<List<Entry>>() {});
      parsed.forEach(e -> theirs.put(e.jobId(), e));
    }
    boolean same = entries.merge(theirs);
    version++;
    if (same) {
      storedVersion = version;
    }
  }
}
