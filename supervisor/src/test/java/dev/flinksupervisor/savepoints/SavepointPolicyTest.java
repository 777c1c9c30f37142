package dev.flinksupervisor.savepoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.savepoints.SavepointPolicy.CatchUp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a scheduled savepoint is due: interval, cron, pause, jitter and catch-up. */
class SavepointPolicyTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final String JOB = "a0000000000000000000000000000001";

  private static SavepointPolicy every(
      Duration interval, String cron, boolean paused, Duration jitter, CatchUp catchUp) {
    return new SavepointPolicy(
        interval, cron, List.of(), 5, Duration.ofDays(7), true, paused, jitter, catchUp);
  }

  @Test
  void an_interval_is_due_once_it_passed_since_the_previous_one() {
    SavepointPolicy p = every(Duration.ofMinutes(10), null, false, null, CatchUp.ONCE);
    assertThat(p.scheduledDue(JOB, T0, T0, T0.plusSeconds(599))).isFalse();
    assertThat(p.scheduledDue(JOB, T0, T0, T0.plusSeconds(600))).isTrue();
  }

  @Test
  void a_cron_time_after_the_previous_one_is_due() {
    SavepointPolicy p = every(null, "0 * * * *", false, null, CatchUp.ONCE);
    assertThat(p.scheduledDue(JOB, T0.plusSeconds(60), T0, T0.plusSeconds(3599))).isFalse();
    assertThat(p.scheduledDue(JOB, T0.plusSeconds(60), T0, T0.plusSeconds(3600))).isTrue();
  }

  @Test
  void a_paused_schedule_is_never_due_and_resumes_where_it_was() {
    SavepointPolicy p = every(Duration.ofMinutes(10), "0 * * * *", true, null, CatchUp.ONCE);
    assertThat(p.scheduledDue(JOB, T0, T0, T0.plus(Duration.ofDays(1)))).isFalse();
    assertThat(p.withPaused(false).scheduledDue(JOB, T0, T0, T0.plus(Duration.ofDays(1)))).isTrue();
    assertThat(p.withPaused(false).interval()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void missed_times_are_caught_up_once_or_skipped() {
    // The previous savepoint was at T0; no sidecar was ACTIVE from T0+5min to T0+47min.
    Instant activeSince = T0.plus(Duration.ofMinutes(47));
    SavepointPolicy once = every(Duration.ofMinutes(10), null, false, null, CatchUp.ONCE);
    assertThat(once.scheduledDue(JOB, T0, activeSince, activeSince)).isTrue();

    SavepointPolicy skip = every(Duration.ofMinutes(10), null, false, null, CatchUp.SKIP);
    assertThat(skip.scheduledDue(JOB, T0, activeSince, activeSince)).isFalse();
    assertThat(skip.scheduledDue(JOB, T0, activeSince, activeSince.plus(Duration.ofMinutes(10))))
        .as("the next time after the sidecar became ACTIVE")
        .isTrue();

    // Hourly, the previous one at 08:00, ACTIVE again at 10:47: 09:00 and 10:00 were missed.
    Instant eight = T0.minus(Duration.ofHours(2));
    assertThat(
            every(null, "0 * * * *", false, null, CatchUp.ONCE)
                .scheduledDue(JOB, eight, activeSince, activeSince))
        .isTrue();
    SavepointPolicy hourly = every(null, "0 * * * *", false, null, CatchUp.SKIP);
    assertThat(hourly.scheduledDue(JOB, eight, activeSince, activeSince)).isFalse();
    assertThat(hourly.scheduledDue(JOB, eight, activeSince, T0.plus(Duration.ofMinutes(60))))
        .isTrue();
  }

  @Test
  void jitter_spreads_jobs_within_it_the_same_way_in_every_sidecar_without_drifting() {
    SavepointPolicy p =
        every(Duration.ofMinutes(10), null, false, Duration.ofMinutes(2), CatchUp.ONCE);
    Set<Duration> offsets = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String job = String.format("%032x", i);
      Duration offset = p.jitterOf(job);
      assertThat(offset).isBetween(Duration.ZERO, Duration.ofMinutes(2));
      assertThat(p.jitterOf(job)).as("the same every time").isEqualTo(offset);
      // First seen at T0: the schedule starts at T0 plus the job's offset, then every 10 min.
      Instant first = T0.plus(offset).plus(Duration.ofMinutes(10));
      assertThat(p.scheduledDue(job, T0.plus(offset), T0, first.minusMillis(1))).isFalse();
      assertThat(p.scheduledDue(job, T0.plus(offset), T0, first)).isTrue();
      Instant second = first.plus(Duration.ofMinutes(10));
      assertThat(p.scheduledDue(job, first, T0, second.minusMillis(1))).isFalse();
      assertThat(p.scheduledDue(job, first, T0, second)).as("no drift").isTrue();
      // Caught up after a takeover: at the takeover plus the offset, not all at once.
      Instant takeover = T0.plus(Duration.ofHours(3));
      assertThat(p.scheduledDue(job, first, takeover, takeover.plus(offset).minusMillis(1)))
          .isEqualTo(!offset.isZero() ? false : true);
      assertThat(p.scheduledDue(job, first, takeover, takeover.plus(offset))).isTrue();
      offsets.add(offset);
    }
    assertThat(offsets).as("jobs start at different times").hasSizeGreaterThan(40);

    SavepointPolicy hourly = every(null, "0 * * * *", false, Duration.ofMinutes(2), CatchUp.ONCE);
    Duration offset = hourly.jitterOf(JOB);
    Instant eleven = T0.plus(Duration.ofHours(1));
    assertThat(hourly.scheduledDue(JOB, T0.plus(offset), T0, eleven.plus(offset).minusMillis(1)))
        .isFalse();
    assertThat(hourly.scheduledDue(JOB, T0.plus(offset), T0, eleven.plus(offset))).isTrue();
  }

  @Test
  void jitter_longer_than_the_interval_is_refused() {
    assertThatThrownBy(
            () -> every(Duration.ofMinutes(1), null, false, Duration.ofMinutes(1), CatchUp.ONCE))
        .hasMessageContaining("jitter");
  }
}
