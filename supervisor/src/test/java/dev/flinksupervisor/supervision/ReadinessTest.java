package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.Leader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofSeconds(5);
  private static final Leader LEADER = new Leader("http://10.0.0.7:8081", "s", T0);

  @Test
  void not_ready_while_the_record_cannot_be_kept_whatever_the_cluster_says() {
    ClusterSnapshot s =
        ClusterSnapshot.EMPTY
            .withLeadership(Leadership.UNKNOWN.withLeader(Optional.of(LEADER)))
            .withJobs(Map.of(), T0);

    Readiness r = Readiness.of(s, T0, STALE_AFTER, Optional.of("record not read: HTTP 503"));

    assertThat(r.ready()).isFalse();
    assertThat(r.reason()).isEqualTo("record not read: HTTP 503");
  }

  @Test
  void not_ready_without_a_leader() {
    Readiness r = Readiness.of(ClusterSnapshot.EMPTY, T0, STALE_AFTER, Optional.empty());

    assertThat(r.ready()).isFalse();
    assertThat(r.reason()).contains("No leading JobManager");
  }

  @Test
  void not_ready_until_the_leader_answers_with_the_last_error() {
    ClusterSnapshot s =
        ClusterSnapshot.EMPTY
            .withLeadership(Leadership.UNKNOWN.withLeader(Optional.of(LEADER)))
            .withFailure("ConnectException");

    Readiness r = Readiness.of(s, T0, STALE_AFTER, Optional.empty());

    assertThat(r.ready()).isFalse();
    assertThat(r.reason()).contains("http://10.0.0.7:8081").contains("ConnectException");
  }

  @Test
  void ready_while_answers_are_recent_then_not_when_stale() {
    ClusterSnapshot s =
        ClusterSnapshot.EMPTY
            .withLeadership(Leadership.UNKNOWN.withLeader(Optional.of(LEADER)))
            .withJobs(Map.of(), T0);

    assertThat(Readiness.of(s, T0.plusSeconds(5), STALE_AFTER, Optional.empty()).ready()).isTrue();
    Readiness stale =
        Readiness.of(s.withFailure("timeout"), T0.plusSeconds(6), STALE_AFTER, Optional.empty());
    assertThat(stale.ready()).isFalse();
    assertThat(stale.reason()).contains("has not answered for 6000 ms").contains("timeout");
  }
}
