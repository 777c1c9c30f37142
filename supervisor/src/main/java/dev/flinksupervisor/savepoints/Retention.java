package dev.flinksupervisor.savepoints;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure: which of a job's completed savepoints its policy no longer keeps. At most {@code
 * retainCount} completed savepoints and none older than {@code retainAge}, but never the newest
 * completed one.
 */
final class Retention {
  private Retention() {}

  /** A savepoint to dispose of, and why. */
  record Disposal(SavepointRecord record, String why) {}

  static List<Disposal> disposals(
      SavepointPolicy policy, List<SavepointRecord> records, Instant now) {
    List<SavepointRecord> completed =
        records.stream()
            .filter(r -> r.state() == SavepointState.COMPLETED && !r.disposed())
            .sorted(Comparator.comparing(SavepointRecord::completedAt).reversed())
            .toList();
    List<Disposal> out = new ArrayList<>();
    for (int i = 1; i < completed.size(); i++) {
      SavepointRecord r = completed.get(i);
      boolean tooMany = i >= policy.retainCount();
      boolean tooOld = r.completedAt().plus(policy.retainAge()).isBefore(now);
      if (tooMany || tooOld) {
        out.add(
            new Disposal(
                r,
                tooMany
                    ? "beyond the newest " + policy.retainCount()
                    : "older than " + policy.retainAge()));
      }
    }
    return out;
  }
}
