package dev.flinksupervisor.savepoints;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Pure: which of a job's completed savepoints its policy keeps, and by which rule; the others are
 * disposed of. A savepoint registered from elsewhere counts from its registration, not from when
 * its files were written. Rules, any of which keeps a savepoint: {@code newest} (the newest
 * completed one, always), {@code restored} (a running job was restored from it), {@code last}
 * (among the newest {@code retainCount} and not older than {@code retainAge}), {@code within}
 * (completed within {@code keep.within}), and {@code hourly}, {@code daily}, {@code weekly}, {@code
 * monthly} (the newest of each of the last so many hours, days, ISO weeks and months that have one,
 * in UTC).
 */
final class Retention {
  private Retention() {}

  /** A savepoint to dispose of, and why. */
  record Disposal(SavepointRecord record, String why) {}

  /**
   * The rules that keep each completed savepoint not yet disposed of, by record id; an empty list
   * means none keeps it.
   *
   * @param restoredFrom paths that running jobs were restored from
   */
  static Map<String, List<String>> retainedBy(
      SavepointPolicy policy,
      List<SavepointRecord> records,
      Instant now,
      Set<String> restoredFrom) {
    List<SavepointRecord> completed =
        records.stream()
            .filter(r -> r.state() == SavepointState.COMPLETED && !r.disposed())
            .sorted(Comparator.comparing(Retention::keptSince).reversed())
            .toList();
    Map<String, List<String>> kept = new LinkedHashMap<>();
    for (int i = 0; i < completed.size(); i++) {
      SavepointRecord r = completed.get(i);
      List<String> rules = new ArrayList<>();
      if (i == 0) {
        rules.add("newest");
      }
      if (r.path() != null && restoredFrom.contains(normalized(r.path()))) {
        rules.add("restored");
      }
      if (i < policy.retainCount() && !keptSince(r).plus(policy.retainAge()).isBefore(now)) {
        rules.add("last");
      }
      SavepointPolicy.Keep keep = policy.keep();
      if (keep.within() != null && !keptSince(r).plus(keep.within()).isBefore(now)) {
        rules.add("within");
      }
      kept.put(r.id(), rules);
    }
    SavepointPolicy.Keep keep = policy.keep();
    bucket(completed, kept, "hourly", keep.hourly(), t -> t.truncatedTo(ChronoUnit.HOURS));
    bucket(completed, kept, "daily", keep.daily(), t -> t.toLocalDate());
    bucket(
        completed,
        kept,
        "weekly",
        keep.weekly(),
        t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    bucket(completed, kept, "monthly", keep.monthly(), t -> t.getYear() * 100 + t.getMonthValue());
    return kept;
  }

  /** The completed savepoints no rule keeps, to dispose of. */
  static List<Disposal> disposals(
      SavepointPolicy policy,
      List<SavepointRecord> records,
      Instant now,
      Set<String> restoredFrom) {
    Map<String, List<String>> kept = retainedBy(policy, records, now, restoredFrom);
    List<Disposal> out = new ArrayList<>();
    for (SavepointRecord r : records) {
      List<String> rules = kept.get(r.id());
      if (rules != null && rules.isEmpty()) {
        out.add(
            new Disposal(
                r,
                "kept by no retention rule (newest "
                    + policy.retainCount()
                    + " within "
                    + policy.retainAge()
                    + describe(policy.keep())
                    + ")"));
      }
    }
    return out;
  }

  /** The newest savepoint of each of the {@code count} newest periods that have one. */
  private static void bucket(
      List<SavepointRecord> newestFirst,
      Map<String, List<String>> kept,
      String rule,
      int count,
      Function<ZonedDateTime, Object> period) {
    Set<Object> seen = new HashSet<>();
    for (SavepointRecord r : newestFirst) {
      if (seen.size() >= count) {
        return;
      }
      if (seen.add(period.apply(keptSince(r).atZone(ZoneOffset.UTC)))) {
        kept.get(r.id()).add(rule);
      }
    }
  }

  private static String describe(SavepointPolicy.Keep keep) {
    StringBuilder out = new StringBuilder();
    if (keep.within() != null) {
      out.append(", all within ").append(keep.within());
    }
    int[] counts = {keep.hourly(), keep.daily(), keep.weekly(), keep.monthly()};
    String[] names = {"hourly", "daily", "weekly", "monthly"};
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out.append(", ").append(counts[i]).append(' ').append(names[i]);
      }
    }
    return out.toString();
  }

  /**
   * Since when a savepoint counts for retention: when it completed, or, for one taken elsewhere,
   * when it was registered (however old its files, it is not disposed of the moment it arrives).
   */
  static Instant keptSince(SavepointRecord r) {
    return r.origin() == SavepointOrigin.REGISTERED && r.requestedAt() != null
        ? r.requestedAt()
        : r.completedAt();
  }

  /** A path as compared with the paths jobs were restored from. */
  static String normalized(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
