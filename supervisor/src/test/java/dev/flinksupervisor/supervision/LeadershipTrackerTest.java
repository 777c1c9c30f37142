package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.Leader;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeadershipTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final ClusterState state = new ClusterState();
  private final EventLog events = new EventLog(clock, 100);
  private final LeadershipTracker tracker =
      new LeadershipTracker(state, events, new RolePolicy(Optional.of("10.0.0.7")), clock);

  private static Optional<Leader> leader(String url) {
    return Optional.of(new Leader(url, "s", T0));
  }

  @Test
  void roles_swap_when_the_leader_moves_and_each_change_is_an_event() {
    assertThat(state.snapshot().leadership().role()).isEqualTo(Role.STANDBY);

    clock.advance(Duration.ofSeconds(1));
    tracker.onLeaderChange(leader("http://10.0.0.7:8081"));
    Leadership first = state.snapshot().leadership();
    assertThat(first.role()).isEqualTo(Role.ACTIVE);
    assertThat(first.roleSince()).isEqualTo(T0.plusSeconds(1));

    clock.advance(Duration.ofSeconds(1));
    tracker.onLeaderChange(leader("http://10.0.0.8:8081"));
    Leadership second = state.snapshot().leadership();
    assertThat(second.role()).isEqualTo(Role.STANDBY);
    assertThat(second.roleSince()).isEqualTo(T0.plusSeconds(2));
    assertThat(second.leaderChanges()).isEqualTo(2);

    assertThat(events.query(null, null))
        .extracting(Event::type)
        .containsExactly(
            EventTypes.ROLE_CHANGED,
            EventTypes.LEADER_CHANGED,
            EventTypes.ROLE_CHANGED,
            EventTypes.LEADER_CHANGED);
    assertThat(events.query(null, null).get(1).message())
        .isEqualTo("The leading JobManager is now http://10.0.0.8:8081 (was http://10.0.0.7:8081)");
  }

  @Test
  void losing_the_leader_makes_the_sidecar_standby() {
    tracker.onLeaderChange(leader("http://10.0.0.7:8081"));
    tracker.onLeaderChange(Optional.empty());

    assertThat(state.snapshot().leadership().role()).isEqualTo(Role.STANDBY);
    assertThat(events.query(null, null).get(1).type()).isEqualTo(EventTypes.LEADER_LOST);
  }
}
