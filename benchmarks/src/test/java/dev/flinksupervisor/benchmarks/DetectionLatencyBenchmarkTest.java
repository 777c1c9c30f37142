package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.benchmarks.DetectionLatencyBenchmark.Transition;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DetectionLatencyBenchmarkTest {
  private static final String JOB = "0000000000000000000000000000000a";

  private static EventStream.Arrival event(long arrived, String type, String job, String message)
      throws Exception {
    String lastTime = java.time.Instant.ofEpochMilli(arrived - 2).toString();
    JsonNode json =
        Http.JSON.readTree(
            "{\"type\":\"%s\",\"jobId\":\"%s\",\"message\":\"%s\",\"lastTime\":\"%s\"}"
                .formatted(type, job, message, lastTime));
    return new EventStream.Arrival(arrived, type, json);
  }

  @Test
  void only_restarting_events_of_the_job_count_by_their_own_time() throws Exception {
    List<EventStream.Arrival> events =
        List.of(
            event(1_300, "JOB_STATUS_CHANGED", JOB, "Job 'f' is RESTARTING (was RUNNING)"),
            event(1_400, "JOB_STATUS_CHANGED", JOB, "Job 'f' is RUNNING (was RESTARTING)"),
            event(1_500, "HEALTH_CHANGED", JOB, "Job 'f' is DEGRADED: RESTARTING"),
            event(1_600, "JOB_STATUS_CHANGED", "other", "Job 'g' is RESTARTING (was RUNNING)"));

    TreeMap<Long, Long> restarting = DetectionLatencyBenchmark.restartingEvents(events, JOB);

    assertThat(restarting).containsExactly(java.util.Map.entry(1_298L, 1_300L));
  }

  @Test
  void each_transition_is_matched_with_the_first_event_before_the_next_one() {
    List<Transition> transitions =
        List.of(
            new Transition(1_000, 1_003),
            new Transition(3_000, 3_010),
            new Transition(5_000, 5_002),
            new Transition(7_000, 7_001));
    TreeMap<Long, Long> sidecar = new TreeMap<>();
    sidecar.put(1_200L, 1_205L); // the first transition, 205 ms
    sidecar.put(3_280L, 3_290L); // the second, 290 ms; the third is missed
    sidecar.put(7_100L, 7_150L); // the fourth, beyond the three wanted

    DetectionLatencyBenchmark.Seen seen = DetectionLatencyBenchmark.seen(transitions, sidecar, 3);
    List<Figure> figures = DetectionLatencyBenchmark.pollingFigures(seen);

    Figure p50 = figures.get(0);
    Figure p99 = figures.get(1);
    assertThat(p50.value()).isEqualTo(205.0);
    assertThat(p99.value()).isEqualTo(290.0);
    assertThat(p99.referenceValue()).isEqualTo(10.0);
    assertThat(p99.met()).isTrue();
    assertThat(p99.detail()).contains("3 injected failures").contains("Missed: 1");
  }

  @Test
  void push_is_measured_beside_the_polling_sidecar_of_the_same_run() {
    List<Transition> transitions =
        List.of(new Transition(1_000, 1_003), new Transition(3_000, 3_004));
    TreeMap<Long, Long> polled = new TreeMap<>();
    polled.put(1_200L, 1_300L);
    polled.put(3_200L, 3_250L);
    TreeMap<Long, Long> pushed = new TreeMap<>();
    pushed.put(1_005L, 1_008L);
    pushed.put(3_030L, 3_031L);

    List<Figure> figures =
        DetectionLatencyBenchmark.pushFigures(
            DetectionLatencyBenchmark.seen(transitions, pushed, 2),
            DetectionLatencyBenchmark.seen(transitions, polled, 2),
            "push lag");

    Figure p99 = figures.get(1);
    assertThat(p99.value()).isEqualTo(31.0);
    assertThat(p99.referenceValue()).isEqualTo(300.0);
    assertThat(p99.met()).isFalse(); // 31 ms is above the 25 ms target
    assertThat(p99.detail()).contains("push lag");
  }

  @Test
  void the_push_lag_is_read_from_the_sidecars_histogram() {
    String metrics =
        """
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.001"} 50.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.002"} 98.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.005"} 100.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="+Inf"} 100.0
        flink_supervisor_push_lag_seconds_bucket{event="CheckpointEvent",le="0.001"} 0.0
        flink_supervisor_push_lag_seconds_bucket{event="CheckpointEvent",le="+Inf"} 70.0
        """;

    String earlier =
        """
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.001"} 10.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.002"} 10.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="0.005"} 10.0
        flink_supervisor_push_lag_seconds_bucket{event="JobStatusChangeEvent",le="+Inf"} 10.0
        """;

    assertThat(DetectionLatencyBenchmark.pushLag("", metrics))
        .contains("100 status changes")
        .contains("p50 ≤ 1 ms")
        .contains("p99 ≤ 5 ms");
    // Only what happened between the two scrapes counts.
    assertThat(DetectionLatencyBenchmark.pushLag(earlier, metrics))
        .contains("90 status changes")
        .contains("p50 ≤ 2 ms")
        .contains("p99 ≤ 5 ms");
    assertThat(DetectionLatencyBenchmark.pushLag("", "")).contains("no pushed event");
  }

  @Test
  void the_plugins_cost_is_what_it_reported_during_the_run() {
    String before =
        """
        flink_supervisor_push_jobmanager_handoffs{flink_cluster_id="c"} 10.0
        flink_supervisor_push_jobmanager_handoff_time_seconds{flink_cluster_id="c"} 0.001
        flink_supervisor_push_jobmanager_handoff_max_seconds{flink_cluster_id="c"} 0.0005
        flink_supervisor_push_jobmanager_sender_cpu_seconds{flink_cluster_id="c"} 0.5
        """;
    String after =
        """
        flink_supervisor_push_jobmanager_handoffs{flink_cluster_id="c"} 110.0
        flink_supervisor_push_jobmanager_handoff_time_seconds{flink_cluster_id="c"} 0.003
        flink_supervisor_push_jobmanager_handoff_max_seconds{flink_cluster_id="c"} 0.0005
        flink_supervisor_push_jobmanager_sender_cpu_seconds{flink_cluster_id="c"} 0.7
        """;

    List<Figure> figures =
        DetectionLatencyBenchmark.PluginCost.of(after)
            .since(DetectionLatencyBenchmark.PluginCost.of(before))
            .figures(10, 5, 30);

    assertThat(figures.get(0).value()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(figures.get(0).referenceValue())
        .isCloseTo(500.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(figures.get(1).value()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(figures.get(1).referenceValue()).isEqualTo(5.0);
  }
}
