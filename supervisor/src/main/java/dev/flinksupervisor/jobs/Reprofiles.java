package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.MapSection;
import dev.flinksupervisor.util.Json;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Every re-profiling operation by id; kept in the ledger, so one in flight survives a restart.
 * Ended operations are history: capped per job, shed oldest first when the record must shrink. When
 * two sidecars changed the same operation, the one further along wins.
 */
public final class Reprofiles extends MapSection<Reprofile> {
  /** Ended operations kept per job, for history. */
  static final int HISTORY_PER_JOB = 20;

  public Reprofiles() {
    super("reprofiles.json", new TypeReference<LinkedHashMap<String, Reprofile>>() {});
  }

  @Override
  protected Reprofile resolve(Reprofile ours, Reprofile theirs) {
    if (ours.state().ended() != theirs.state().ended()) {
      return ours.state().ended() ? ours : theirs;
    }
    return theirs.state().ordinal() > ours.state().ordinal() ? theirs : ours;
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

  /** Drops the ended operations of runs that are forgotten. */
  public synchronized void forgetJobs(Collection<String> runs) {
    for (Reprofile r : values()) {
      if (r.state().ended() && runs.contains(r.jobId())) {
        delete(r.id());
      }
    }
  }

  @Override
  public synchronized int shed(int bytes) {
    List<Reprofile> ended =
        values().stream()
            .filter(r -> r.state().ended())
            .sorted(Comparator.comparing(Reprofile::requestedAt))
            .toList();
    int freed = 0;
    for (Reprofile r : ended) {
      if (freed >= bytes) {
        break;
      }
      freed += Json.writeString(r).length() + 1;
      delete(r.id());
    }
    return freed;
  }
}
