package dev.flinksupervisor.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.FlinkSavepoints.Phase;
import dev.flinksupervisor.flink.FlinkSavepoints.Status;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.jobs.Reprofile.State;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointPolicy;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.savepoints.SavepointSettings;
import dev.flinksupervisor.slots.SlotProfiles;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.testing.FakeFlinkJobs;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.SequentialIds;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReprofilerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path jars;
  private final MutableClock clock = new MutableClock(T0);
  private final FakeFlinkJobs flink = new FakeFlinkJobs();
  private final FakeFlinkSavepoints flinkSavepoints = new FakeFlinkSavepoints();
  private final ClusterState cluster = new ClusterState();
  private final EventLog events = new EventLog(clock, 1000);
  private final OwnedJobs owned = new OwnedJobs();
  private final Reprofiles operations = new Reprofiles();
  private final SavepointBook book = new SavepointBook();
  private JobService jobs;
  private SavepointService savepoints;
  private Reprofiler reprofiler;
  private OwnedJob job;
  private volatile boolean recordFails;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(jars.resolve("app.jar"), "the fake does not read it");
    SequentialIds ids = new SequentialIds();
    jobs =
        new JobService(
            flink,
            owned,
            book,
            cluster,
            events,
            clock,
            new JarFiles(jars, jars.resolve("uploads")),
            ids,
            () -> {},
            SlotProfiles.parse(
                Map.of(
                    "small.cpu-cores", "0.5",
                    "small.task-heap", "64m",
                    "large.cpu-cores", "1",
                    "large.task-heap", "256m")),
            operations,
            new JobLanes(Runnable::run),
            Duration.ofDays(7));
    savepoints =
        new SavepointService(
            flinkSavepoints,
            book,
            cluster,
            events,
            clock,
            new SavepointSettings(
                new SavepointPolicy(null, null, List.of(), 5, Duration.ofDays(7), false),
                Duration.ofMinutes(10),
                1,
                new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5)),
                null,
                Format.CANONICAL),
            ids,
            () -> {},
            new JobLanes(Runnable::run));
    reprofiler =
        new Reprofiler(
            jobs,
            savepoints,
            book,
            operations,
            cluster,
            events,
            clock,
            ids,
            ids,
            () -> {
              if (recordFails) {
                throw new RecordUnavailable("HTTP 503", Duration.ofSeconds(5));
              }
            },
            Duration.ofSeconds(5),
            new JobLanes(Runnable::run));
    job =
        jobs.submit(
            new JobSpec(
                "app.jar",
                "com.example.App",
                List.of(),
                1,
                null,
                false,
                RecoveryPolicy.NONE,
                Map.of("default", "small"),
                false));
    flink.submitted.clear();
    jobIs(job.jobId(), JobStatus.RUNNING);
  }

  private void jobIs(String jobId, JobStatus status) {
    Map<String, JobView> all = new HashMap<>(cluster.snapshot().jobs());
    all.put(jobId, JobView.firstSeen(new JobSummary(jobId, "app", status, 1, -1, 1, 1)));
    cluster.update(s -> s.withJobs(all, clock.instant()));
  }

  /** The operation as it stands now. */
  private Reprofile current(Reprofile op) {
    return reprofiler.ofJob(op.jobId()).stream()
        .filter(r -> r.id().equals(op.id()))
        .findFirst()
        .orElseThrow();
  }

  private List<String> eventTypes() {
    return events.query(null, null).stream().map(Event::type).toList();
  }

  @Test
  void the_job_runs_again_from_the_stop_savepoint_with_the_new_profiles() {
    Reprofile requested = reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null);
    assertThat(requested.state()).as("answered before anything is done").isEqualTo(State.CHECKING);
    Reprofile op = current(requested);

    assertThat(flinkSavepoints.count("stop")).isEqualTo(1);
    assertThat(op.state()).isEqualTo(State.COMPLETED);
    assertThat(op.savepointPath()).startsWith("file:/savepoints/");
    assertThat(flink.submitted)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.jobId()).isEqualTo(op.newJobId()).isNotEqualTo(job.jobId());
              assertThat(s.restorePath()).isEqualTo(op.savepointPath());
              assertThat(s.slotProfiles().get("default").taskHeap()).isEqualTo("256m");
            });
    OwnedJob now = jobs.get(op.newJobId()).orElseThrow();
    assertThat(now.spec().slotProfiles()).containsEntry("default", "large");
    assertThat(now.previousJobIds()).containsExactly(job.jobId());
    assertThat(jobs.get(job.jobId())).isEmpty();
    assertThat(reprofiler.ofJob(job.jobId())).containsExactly(op);
    assertThat(reprofiler.ofJob(op.newJobId())).containsExactly(op);
    assertThat(eventTypes())
        .contains(EventTypes.REPROFILE_REQUESTED, EventTypes.REPROFILE_COMPLETED);
  }

  @Test
  void a_savepoint_of_the_job_in_flight_is_waited_for_before_the_job_is_stopped() {
    flinkSavepoints.status =
        (j, t) -> CompletableFuture.completedFuture(new Status(Phase.IN_PROGRESS, null, null));
    savepoints.request(
        job.jobId(), null, null, dev.flinksupervisor.savepoints.SavepointOrigin.SCHEDULED);

    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null));
    reprofiler.tick();

    assertThat(current(op).state()).as("waiting, not failed").isEqualTo(State.CHECKING);
    assertThat(flinkSavepoints.count("stop")).isZero();

    flinkSavepoints.status =
        (j, t) ->
            CompletableFuture.completedFuture(new Status(Phase.COMPLETED, "file:/sp/0", null));
    savepoints.tick();
    reprofiler.tick();

    assertThat(flinkSavepoints.count("stop")).isEqualTo(1);
    assertThat(current(op).state()).isNotIn(State.CHECKING, State.FAILED);
  }

  @Test
  void it_waits_for_the_savepoint_and_goes_on_at_the_next_tick() {
    flinkSavepoints.status =
        (j, t) -> CompletableFuture.completedFuture(new Status(Phase.IN_PROGRESS, null, null));
    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null));
    assertThat(op.state()).isEqualTo(State.STOPPING);
    reprofiler.tick();
    assertThat(flink.submitted).isEmpty();

    flinkSavepoints.status =
        (j, t) ->
            CompletableFuture.completedFuture(new Status(Phase.COMPLETED, "file:/sp/1", null));
    // The savepoint tracker completes the record; the re-profiling follows it.
    reprofiler.tick();
    assertThat(reprofiler.ofJob(job.jobId()).get(0).state()).isEqualTo(State.STOPPING);
    savepoints.tick();
    reprofiler.tick();

    Reprofile done = reprofiler.ofJob(job.jobId()).get(0);
    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(flink.submitted)
        .singleElement()
        .extracting(s -> s.restorePath())
        .isEqualTo("file:/sp/1");
  }

  @Test
  void refused_profiles_roll_back_to_the_old_ones_from_the_same_savepoint() {
    flink.submit =
        s ->
            s.slotProfiles().get("default").taskHeap().equals("256m")
                ? CompletableFuture.failedFuture(refusedBecause("no slot fits"))
                : CompletableFuture.completedFuture(null);

    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null));

    assertThat(op.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(op.error()).contains("no slot fits");
    assertThat(flink.submitted).hasSize(2);
    assertThat(flink.submitted.get(1).restorePath())
        .isEqualTo(flink.submitted.get(0).restorePath())
        .isEqualTo(op.savepointPath());
    assertThat(flink.submitted.get(1).slotProfiles().get("default").taskHeap()).isEqualTo("64m");
    assertThat(jobs.get(op.newJobId()).orElseThrow().spec().slotProfiles())
        .containsEntry("default", "small");
    assertThat(eventTypes())
        .contains(EventTypes.REPROFILE_ROLLING_BACK, EventTypes.REPROFILE_ROLLED_BACK);
  }

  @Test
  void a_failed_rollback_is_tried_again_until_the_job_runs() {
    flink.submit = s -> CompletableFuture.failedFuture(refusedBecause("JM busy"));

    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null));
    assertThat(op.state()).isEqualTo(State.ROLLING_BACK);
    assertThat(op.nextAttemptAt()).isAfter(T0);
    reprofiler.tick();
    assertThat(flink.submitted).as("not before the backoff").hasSize(2);

    flink.submit = s -> CompletableFuture.completedFuture(null);
    clock.advance(Duration.ofMinutes(1));
    reprofiler.tick();

    Reprofile done = reprofiler.ofJob(job.jobId()).get(0);
    assertThat(done.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(flink.submitted).hasSize(3);
    assertThat(flink.submitted.get(2).slotProfiles().get("default").taskHeap()).isEqualTo("64m");
    assertThat(jobs.get(done.newJobId())).isPresent();
  }

  /** The JobManager's REST API answering no. */
  private static Exception refusedBecause(String reason) {
    return new org.apache.flink.runtime.rest.util.RestClientException(
        reason,
        org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST);
  }

  @Test
  void a_submission_that_got_no_answer_is_sent_again_under_the_same_id_and_never_rolled_back() {
    flink.submit =
        s ->
            CompletableFuture.failedFuture(
                new org.apache.flink.runtime.rest.ConnectionClosedException(
                    "Channel became inactive."));

    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null));

    assertThat(op.state()).as("the JobManager may run it already").isEqualTo(State.STARTING);
    assertThat(op.nextAttemptAt()).isAfter(T0);
    assertThat(eventTypes())
        .contains(EventTypes.REPROFILE_WAITING)
        .doesNotContain(EventTypes.REPROFILE_ROLLING_BACK);
    String run = op.newJobId();
    reprofiler.tick();
    assertThat(flink.submitted).as("not before the backoff").hasSize(1);

    flink.submit = s -> CompletableFuture.completedFuture(null);
    clock.advance(Duration.ofMinutes(1));
    reprofiler.tick();

    Reprofile done = reprofiler.ofJob(job.jobId()).get(0);
    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(done.newJobId()).isEqualTo(run);
    assertThat(flink.submitted).extracting(s -> s.jobId()).containsExactly(run, run);
    assertThat(flink.submitted.get(1).slotProfiles().get("default").taskHeap()).isEqualTo("256m");
  }

  @Test
  void a_sidecar_restarted_mid_way_finds_the_run_it_started_and_does_not_start_another() {
    String newRun = "0000000000000000000000000000beef";
    // As recorded just before the sidecar stopped: the new run's id chosen, its submission sent.
    operations.put(
        new Reprofile(
            "op-1",
            job.jobId(),
            State.STARTING,
            Map.of("default", "small"),
            Map.of("default", "large"),
            null,
            "sp-1",
            "file:/sp/1",
            newRun,
            null,
            1,
            T0,
            null,
            null));
    jobIs(newRun, JobStatus.RUNNING);

    reprofiler.tick();

    assertThat(flink.submitted).as("Flink already runs it").isEmpty();
    Reprofile done = reprofiler.ofJob(job.jobId()).get(0);
    assertThat(done.state()).isEqualTo(State.COMPLETED);
    assertThat(jobs.get(newRun).orElseThrow().spec().slotProfiles())
        .containsEntry("default", "large");
  }

  @Test
  void a_failed_stop_savepoint_leaves_the_job_as_it_was() {
    flinkSavepoints.status =
        (j, t) -> CompletableFuture.completedFuture(new Status(Phase.FAILED, null, "disk full"));

    Reprofile op = reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null);
    reprofiler.tick();

    Reprofile ended = reprofiler.ofJob(job.jobId()).get(0);
    assertThat(ended.state()).as(op.toString()).isEqualTo(State.FAILED);
    assertThat(ended.error()).contains("disk full").contains("keeps its old profiles");
    assertThat(flink.submitted).isEmpty();
    assertThat(jobs.get(job.jobId()).orElseThrow().spec().slotProfiles())
        .containsEntry("default", "small");
  }

  @Test
  void profiles_the_job_graph_cannot_take_fail_the_operation_before_the_job_is_stopped() {
    flink.check =
        s ->
            CompletableFuture.failedFuture(
                new IllegalArgumentException("The job has no slot-sharing group 'sink'"));

    Reprofile op = current(reprofiler.request(job.jobId(), Map.of("sink", "large"), () -> null));

    assertThat(op.state()).isEqualTo(State.FAILED);
    assertThat(op.error())
        .contains("no slot-sharing group 'sink'")
        .contains("The job was not stopped");
    assertThat(flinkSavepoints.calls).isEmpty();
    assertThat(flink.submitted).isEmpty();
  }

  @Test
  void an_operation_whose_record_cannot_be_stored_is_refused_and_the_job_left_alone() {
    recordFails = true;

    assertThatThrownBy(
            () -> reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null))
        .isInstanceOf(Refused.class)
        .extracting(e -> ((Refused) e).kind())
        .isEqualTo(Refused.Kind.UNAVAILABLE);
    assertThat(flinkSavepoints.calls).isEmpty();
    assertThat(flink.submitted).isEmpty();
  }

  @Test
  void what_can_be_checked_from_memory_is_refused_at_once() {
    assertThatThrownBy(() -> reprofiler.request(job.jobId(), Map.of("default", "nope"), () -> null))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("No slot profile 'nope'");

    jobIs("0123456789abcdef0123456789abcdef", JobStatus.RUNNING);
    assertThatThrownBy(
            () ->
                reprofiler.request(
                    "0123456789abcdef0123456789abcdef", Map.of("default", "large"), () -> null))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("not submitted by this sidecar");

    jobIs(job.jobId(), JobStatus.RESTARTING);
    assertThatThrownBy(
            () -> reprofiler.request(job.jobId(), Map.of("default", "large"), () -> null))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("only a RUNNING job");

    assertThat(flinkSavepoints.calls).isEmpty();
    assertThat(flink.submitted).isEmpty();
    assertThat(reprofiler.ofJob(job.jobId())).isEmpty();
  }
}
