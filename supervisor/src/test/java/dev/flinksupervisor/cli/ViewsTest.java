package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewsTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void the_jobs_table_has_a_row_per_job() throws Exception {
    JsonNode list =
        json(
            """
            {"jobs": [
              {"id": "a1", "name": "orders", "status": "RUNNING", "restarts": 0, "durationMs": 5,
               "health": {"verdict": "HEALTHY", "reasons": []},
               "lastCheckpoint": {"id": 42, "savepoint": false, "completedAt": "2026-05-01T09:59:57Z"},
               "restorable": {"checkpointId": 42, "savepoint": false, "completedAt": "2026-05-01T09:59:57Z"}},
              {"id": "b2", "name": "billing", "status": "RESTARTING", "restarts": 12, "durationMs": 5,
               "health": {"verdict": "UNHEALTHY", "reasons": [{"code": "RESTART_LOOP"}]}}
            ], "freshness": {"stale": false}}
            """);

    assertThat(Views.jobs(list, NOW))
        .isEqualTo(
            """
            ID  NAME     STATUS      HEALTH                    RESTARTS  LAST CHECKPOINT  RESTORABLE
            a1  orders   RUNNING     HEALTHY                          0  3s ago           checkpoint 42 (3s ago)
            b2  billing  RESTARTING  UNHEALTHY (RESTART_LOOP)        12  -                no
            """);
  }

  @Test
  void no_jobs_and_stale_state_are_said_in_words() throws Exception {
    assertThat(
            Views.jobs(
                json("{\"jobs\": [], \"freshness\": {\"stale\": true, \"ageMs\": 65000}}"), NOW))
        .isEqualTo(
            "No jobs.\nStale: the JobManager has not answered for 1m05s; this is what the sidecar"
                + " saw last.\n");
  }

  @Test
  void durations_read_short() {
    assertThat(Views.human(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(Views.human(Duration.ZERO)).isEqualTo("0s");
    assertThat(Views.human(Duration.ofSeconds(12))).isEqualTo("12s");
    assertThat(Views.human(Duration.ofSeconds(312))).isEqualTo("5m12s");
    assertThat(Views.human(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Views.human(Duration.ofMinutes(185))).isEqualTo("3h05m");
    assertThat(Views.human(Duration.ofHours(51))).isEqualTo("2d03h");
  }

  @Test
  void an_event_is_one_line() throws Exception {
    JsonNode e =
        json(
            """
            {"id": 7, "time": "2026-05-01T09:58:00.123Z", "severity": "WARNING",
             "type": "SAVEPOINT_FAILED", "jobId": "a1", "message": "Savepoint s1 failed:\\nboom",
             "count": 3}
            """);

    assertThat(Views.event(e))
        .isEqualTo(
            "2026-05-01T09:58:00Z  WARNING  SAVEPOINT_FAILED          a1  Savepoint s1 failed: boom (x3)");
    assertThat(
            Views.event(
                json("{\"id\":1,\"count\":1,\"type\":\"LEADER_CHANGED\",\"severity\":\"INFO\"}")))
        .contains("LEADER_CHANGED            -");
  }

  @Test
  void events_read_oldest_first() throws Exception {
    String text =
        Views.events(
            json(
                """
                {"events": [
                  {"id": 2, "count": 1, "type": "SECOND", "time": "2026-05-01T09:59:00Z"},
                  {"id": 1, "count": 1, "type": "FIRST", "time": "2026-05-01T09:58:00Z"}]}
                """));
    assertThat(text.indexOf("FIRST")).isLessThan(text.indexOf("SECOND"));
    assertThat(Views.events(json("{\"events\": []}"))).isEqualTo("No events.\n");
  }

  @Test
  void a_job_in_detail_shows_health_failure_checkpointing_slots_and_savepoints() throws Exception {
    JsonNode job =
        json(
            """
            {"id": "a1", "name": "orders", "status": "RUNNING", "startTime": "2026-05-01T09:00:00Z",
             "restarts": 1, "durationMs": 5,
             "health": {"verdict": "DEGRADED", "reasons": [
               {"code": "CHECKPOINTS_FAILING", "verdict": "DEGRADED", "message": "3 failed"}]},
             "lastCheckpoint": {"id": 42, "savepoint": false, "completedAt": "2026-05-01T09:59:50Z",
                                "path": "s3://b/chk-42"},
             "restorable": {"checkpointId": 42, "savepoint": false, "source": "JOBMANAGER",
                            "completedAt": "2026-05-01T09:59:50Z", "path": "s3://b/chk-42"},
             "lastFailure": {"time": "2026-05-01T09:30:00Z", "task": "map (1/2)",
                             "exception": "java.io.IOException: disk\\n at x", "labels": {"type": "USER"}},
             "checkpointing": {"interval": "PT2S", "timeout": "PT10M", "tolerableFailures": 0},
             "slots": {"requested": {"default": {"profile": "small",
                                                 "resources": {"cpuCores": 0.5, "taskHeap": "256m"}}},
                       "allocated": [{"taskManagerId": "tm-1", "cpuCores": 0.5, "taskHeapMb": 256,
                                      "taskOffHeapMb": 0, "managedMb": 128}]}}
            """);
    JsonNode savepoints =
        json(
            """
            {"savepoints": [
              {"id": "s2", "state": "FAILED", "origin": "MANUAL", "requestedAt": "2026-05-01T09:50:00Z",
               "error": "Checkpoint was declined", "drain": false, "attempts": 3, "disposed": false},
              {"id": "s1", "state": "COMPLETED", "origin": "SCHEDULED", "requestedAt": "2026-05-01T08:00:00Z",
               "path": "s3://b/savepoint-1", "drain": false, "attempts": 1, "disposed": false}]}
            """);

    String text = Views.job(job, savepoints, NOW);

    assertThat(text)
        .contains("Status:           RUNNING, started 2026-05-01T09:00:00Z (1h00m ago)")
        .contains("Health:           DEGRADED")
        .contains("- DEGRADED CHECKPOINTS_FAILING: 3 failed")
        .contains("Last checkpoint:  42, 10s ago, s3://b/chk-42")
        .contains("Restorable:       checkpoint 42 (10s ago), from JOBMANAGER, s3://b/chk-42")
        .contains("Last failure:     2026-05-01T09:30:00Z in map (1/2)")
        .contains("exception: java.io.IOException: disk")
        .contains("labels: type=USER")
        .contains("Checkpointing:    every 2s, timeout 10m, min pause 0s, tolerable failures 0")
        .contains("Requested slots:  default = small (cpu 0.5, task heap 256m)")
        .contains("- tm-1: cpu 0.5, task heap 256 MiB, off-heap 0 MiB, managed 128 MiB")
        .contains("s2         FAILED     MANUAL     10m ago    Checkpoint was declined")
        .contains("s1         COMPLETED  SCHEDULED  2h00m ago  s3://b/savepoint-1");
  }

  @Test
  void the_cluster_view_names_role_leader_and_record() throws Exception {
    JsonNode cluster =
        json(
            """
            {"clusterId": "orders", "namespace": "flink", "role": "STANDBY",
             "roleSince": "2026-05-01T09:00:00Z", "leaderChanges": 2,
             "leader": {"restUrl": "http://10.0.0.7:8081", "since": "2026-05-01T09:00:00Z"},
             "flinkVersion": "2.3.0", "taskManagers": 2, "slots": {"total": 4, "available": 1},
             "record": {"where": "ConfigMap flink/orders-supervisor", "loaded": true, "bytes": 20480,
                        "capacityBytes": 921600, "overBudget": false, "conflicts": 0,
                        "lastWrite": "2026-05-01T09:59:58Z"},
             "health": {"verdict": "HEALTHY", "reasons": []}}
            """);

    assertThat(Views.cluster(cluster, NOW))
        .isEqualTo(
            """
            Cluster:       orders (namespace flink)
            Role:          STANDBY since 2026-05-01T09:00:00Z
            Leader:        http://10.0.0.7:8081 since 2026-05-01T09:00:00Z (2 changes)
            Flink:         2.3.0
            TaskManagers:  2, slots 1 free of 4
            Record:        ConfigMap flink/orders-supervisor, read, 20 KiB of 900 KiB, written 2s ago
            Health:        HEALTHY
            """);
  }
}
