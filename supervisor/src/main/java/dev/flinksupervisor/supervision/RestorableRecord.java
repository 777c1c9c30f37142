package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest restorable state of every job, kept in the sidecar's record: after a restart, and
 * while no JobManager answers, the sidecar still knows where each job can be restored from.
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

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private long version;

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
      entries.remove(entries.keySet().iterator().next());
    }
  }

  public synchronized Optional<Entry> get(String jobId) {
    return Optional.ofNullable(entries.get(jobId));
  }

  /** Newest change first. */
  public synchronized List<Entry> all() {
    List<Entry> out = new ArrayList<>(entries.values());
    out.sort(Comparator.comparing(Entry::observedAt).reversed());
    return out;
  }

  @Override
  public String key() {
    return "restorable.json";
  }

  @Override
  public synchronized long version() {
    return version;
  }

  @Override
  public synchronized String export(int maxBytes) {
    try {
      return Json.mapper().writeValueAsString(new ArrayList<>(entries.values()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Restorable states cannot be written as JSON", e);
    }
  }

  @Override
  public synchronized void restore(String json) throws Exception {
    List<Entry> restored = Json.mapper().readValue(json, new TypeReference<List<Entry>>() {});
    entries.clear();
    for (Entry e : restored) {
      entries.put(e.jobId(), e);
    }
    version++;
  }
}
