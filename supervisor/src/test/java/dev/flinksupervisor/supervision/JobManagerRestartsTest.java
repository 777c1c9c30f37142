package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Restarts of the JobManager container: an event each, and a loop past the limit. */
class JobManagerRestartsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final ClusterState state = new ClusterState();
  private final EventLog events = new EventLog(clock, 100);
  private final JobManagerRestarts restarts =
      new JobManagerRestarts(state, events, 2, Duration.ofMinutes(10));

  private static JobManagerContainer container(int restarts) {
    return new JobManagerContainer(
        "jm-0",
        "flink-main-container",
        restarts,
        "running",
        restarts == 0
            ? null
            : new JobManagerContainer.Termination("OOMKilled", 137, T0.plusSeconds(restarts)));
  }

  private long count(String type) {
    return events.query(null, null).stream().filter(e -> e.type().equals(type)).count();
  }

  @Test
  void restarts_seen_at_start_are_not_news_and_later_ones_are_each_an_event() {
    restarts.observe(container(5), T0);
    assertThat(count(EventTypes.JOBMANAGER_RESTARTED)).isZero();
    assertThat(state.snapshot().jobManager()).contains(container(5));

    restarts.observe(container(6), T0.plusSeconds(30));
    assertThat(count(EventTypes.JOBMANAGER_RESTARTED)).isEqualTo(1);
    assertThat(events.query(null, null).get(0).message())
        .contains("restart 6", "OOMKilled, exit code 137");
    assertThat(state.snapshot().jobManagerHealth()).isEmpty();
  }

  @Test
  void more_restarts_than_the_limit_within_the_window_is_a_loop_until_they_age_out() {
    restarts.observe(container(0), T0);
    restarts.observe(container(1), T0.plusSeconds(60));
    restarts.observe(container(2), T0.plusSeconds(120));
    assertThat(state.snapshot().jobManagerHealth()).isEmpty();

    restarts.observe(container(3), T0.plusSeconds(180));
    assertThat(state.snapshot().jobManagerHealth())
        .hasValueSatisfying(
            r -> {
              assertThat(r.code()).isEqualTo(JobManagerRestarts.RESTART_LOOP);
              assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
              assertThat(r.message()).contains("3 times in the last 10 min (limit 2)");
            });
    assertThat(count(EventTypes.JOBMANAGER_RESTART_LOOP)).isEqualTo(1);

    restarts.observe(container(3), T0.plusSeconds(200));
    assertThat(count(EventTypes.JOBMANAGER_RESTART_LOOP)).as("once per loop").isEqualTo(1);

    restarts.observe(container(3), T0.plus(Duration.ofMinutes(12)));
    assertThat(state.snapshot().jobManagerHealth()).as("aged out of the window").isEmpty();
  }
}
