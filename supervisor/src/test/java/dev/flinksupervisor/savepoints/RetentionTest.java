package dev.flinksupervisor.savepoints;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which completed savepoints each retention rule keeps, and which go. */
class RetentionTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private static SavepointRecord completed(String id, Instant at) {
    return new SavepointRecord(
        id,
        "job",
        "t-" + id,
        SavepointState.COMPLETED,
        SavepointOrigin.SCHEDULED,
        null,
        null,
        false,
        at,
        at,
        at,
        "file:/sp/savepoint-" + id + "/",
        null,
        1,
        null,
        false,
        null);
  }

  private static SavepointPolicy keeping(int last, Duration age, SavepointPolicy.Keep keep) {
    return new SavepointPolicy(
        Duration.ofMinutes(30),
        null,
        List.of(),
        last,
        age,
        true,
        false,
        null,
        SavepointPolicy.CatchUp.ONCE,
        keep);
  }

  /** One savepoint every 30 minutes for the last 40 days, newest first. */
  private static List<SavepointRecord> everyHalfHour() {
    List<SavepointRecord> out = new ArrayList<>();
    for (int i = 0; i < 40 * 48; i++) {
      out.add(completed("s" + i, NOW.minus(Duration.ofMinutes(30L * i + 1))));
    }
    return out;
  }

  @Test
  void without_buckets_the_newest_few_within_the_age_are_kept_and_always_the_newest() {
    List<SavepointRecord> records =
        List.of(
            completed("new", NOW.minusSeconds(60)),
            completed("mid", NOW.minus(Duration.ofDays(2))),
            completed("old", NOW.minus(Duration.ofDays(9))));
    Map<String, List<String>> kept =
        Retention.retainedBy(
            keeping(5, Duration.ofDays(7), SavepointPolicy.Keep.NONE), records, NOW, Set.of());
    assertThat(kept.get("new")).containsExactly("newest", "last");
    assertThat(kept.get("mid")).containsExactly("last");
    assertThat(kept.get("old")).isEmpty();

    List<SavepointRecord> onlyOld = List.of(completed("old", NOW.minus(Duration.ofDays(9))));
    assertThat(
            Retention.disposals(
                keeping(5, Duration.ofDays(7), SavepointPolicy.Keep.NONE), onlyOld, NOW, Set.of()))
        .as("never the newest completed one")
        .isEmpty();
  }

  @Test
  void buckets_keep_the_newest_of_each_of_the_last_hours_days_weeks_and_months() {
    SavepointPolicy policy =
        keeping(2, Duration.ofDays(7), new SavepointPolicy.Keep(Duration.ofHours(3), 6, 7, 4, 2));
    List<SavepointRecord> records = everyHalfHour();

    Map<String, List<String>> kept = Retention.retainedBy(policy, records, NOW, Set.of());

    long within = kept.values().stream().filter(r -> r.contains("within")).count();
    assertThat(within).as("every one of the last 3 hours, one per half hour").isEqualTo(6);
    assertThat(kept.values().stream().filter(r -> r.contains("hourly")).count()).isEqualTo(6);
    assertThat(kept.values().stream().filter(r -> r.contains("daily")).count()).isEqualTo(7);
    assertThat(kept.values().stream().filter(r -> r.contains("weekly")).count()).isEqualTo(4);
    assertThat(kept.values().stream().filter(r -> r.contains("monthly")).count()).isEqualTo(2);
    // The newest of each day: today's is the newest of all; yesterday's is the one just before
    // midnight UTC.
    assertThat(kept.get("s0")).contains("newest", "last", "within", "hourly", "daily");
    SavepointRecord yesterday =
        records.stream()
            .filter(r -> r.completedAt().isBefore(Instant.parse("2026-12-02T00:00:00Z")))
            .findFirst()
            .orElseThrow();
    assertThat(yesterday.completedAt()).isEqualTo(Instant.parse("2026-12-01T23:59:00Z"));
    assertThat(kept.get(yesterday.id())).contains("daily");
    // Last month's newest is kept by the monthly rule although older than everything else kept.
    SavepointRecord november =
        records.stream()
            .filter(r -> r.completedAt().isBefore(Instant.parse("2026-12-01T00:00:00Z")))
            .findFirst()
            .orElseThrow();
    assertThat(kept.get(november.id())).contains("monthly");

    int keptCount = (int) kept.values().stream().filter(r -> !r.isEmpty()).count();
    assertThat(Retention.disposals(policy, records, NOW, Set.of()))
        .hasSize(records.size() - keptCount)
        .allSatisfy(d -> assertThat(d.why()).startsWith("kept by no retention rule"));
  }

  @Test
  void a_savepoint_a_running_job_was_restored_from_is_never_disposed_of() {
    List<SavepointRecord> records =
        List.of(
            completed("new", NOW.minusSeconds(60)),
            completed("restored", NOW.minus(Duration.ofDays(30))));
    SavepointPolicy policy = keeping(1, Duration.ofDays(1), SavepointPolicy.Keep.NONE);

    assertThat(Retention.disposals(policy, records, NOW, Set.of()))
        .extracting(d -> d.record().id())
        .containsExactly("restored");
    assertThat(
            Retention.disposals(
                policy, records, NOW, Set.of(Retention.normalized("file:/sp/savepoint-restored/"))))
        .isEmpty();
    assertThat(
            Retention.retainedBy(policy, records, NOW, Set.of("file:/sp/savepoint-restored"))
                .get("restored"))
        .containsExactly("restored");
  }
}
