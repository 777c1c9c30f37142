package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.MapSection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every re-profiling operation by id; kept in the ledger, so one in flight survives a restart. */
public final class Reprofiles extends MapSection<Reprofile> {
  /** Ended operations kept per job, for history. */
  static final int HISTORY_PER_JOB = 20;

  public Reprofiles() {
    super("reprofiles.json", new TypeReference<Map<String, Reprofile>>() {});
  }

  public Optional<Reprofile> get(String id) {
    return find(id);
  }

  public synchronized void put(Reprofile op) {
    store(op.id(), op);
    List<Reprofile> ended =
        ofJob(op.jobId()).stream()
            .filter(r -> r.state().ended())
            .sorted(Comparator.comparing(Reprofile::requestedAt).reversed())
            .toList();
    ended.stream().skip(HISTORY_PER_JOB).forEach(r -> delete(r.id()));
  }

  /** The operations of a run, by the id it had when they were asked for or the id it got. */
  public List<Reprofile> ofJob(String jobId) {
    return values().stream()
        .filter(r -> r.jobId().equals(jobId) || jobId.equals(r.newJobId()))
        .sorted(Comparator.comparing(Reprofile::requestedAt))
        .toList();
  }

  public List<Reprofile> inFlight() {
    return values().stream().filter(r -> !r.state().ended()).toList();
  }

  /** The operation in flight on a run, if any. */
  public Optional<Reprofile> inFlightOn(String jobId) {
    return inFlight().stream().filter(r -> r.jobId().equals(jobId)).findFirst();
  }
}
