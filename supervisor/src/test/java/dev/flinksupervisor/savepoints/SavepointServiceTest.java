package dev.flinksupervisor.savepoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.FlinkSavepoints.Phase;
import dev.flinksupervisor.flink.FlinkSavepoints.Status;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.store.RecordObserver;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.SequentialIds;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

class SavepointServiceTest {
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final String JOB = "0000000000000000000000000000000a";

  private final MutableClock clock = new MutableClock(T0);
  private final FakeFlinkSavepoints flink = new FakeFlinkSavepoints();
  private final ClusterState cluster = new ClusterState();
  private final EventLog events = new EventLog(clock, 1000);
  private final InMemoryLedger ledger = new InMemoryLedger(1_000_000);
  private final SequentialIds ids = new SequentialIds();
  private SavepointPolicy defaults =
      new SavepointPolicy(null, null, List.of(), 2, Duration.ofDays(7), true);

  private SavepointBook book = new SavepointBook();
  private LedgerKeeper keeper;
  private volatile boolean recordFails;
  private SavepointService service = newService();

  private SavepointService newService() {
    LedgerKeeper keeper =
        new LedgerKeeper(
            ledger, List.of(book), () -> 1, RecordObserver.NONE, clock, Duration.ofSeconds(1));
    keeper.step();
    this.keeper = keeper;
    return new SavepointService(
        flink,
        book,
        cluster,
        events,
        clock,
        new SavepointSettings(
            defaults,
            Duration.ofMinutes(1),
            3,
            new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5)),
            null,
            Format.CANONICAL),
        ids,
        () -> {
          if (recordFails) {
            throw new RecordUnavailable("HTTP 503 from the API server", Duration.ofSeconds(5));
          }
          keeper.step();
        },
        new JobLanes(Runnable::run));
  }

  private SavepointRecord now(SavepointRecord record) {
    return service.get(JOB, record.id()).orElseThrow();
  }

  /** A sidecar restart: a new book and service, restored from the same ledger. */
  private void restartSidecar() throws Exception {
    keeper.step(); // the last periodic write before the sidecar stopped
    book = new SavepointBook();
    service = newService();
  }

  private void jobIs(JobStatus status, Optional<CheckpointInfo> lastSavepoint) {
    JobSummary summary = new JobSummary(JOB, "orders", status, 1, -1, 1, 1);
    JobView view =
        JobView.firstSeen(summary)
            .withProgress(
                new JobProgress(0, Optional.empty(), lastSavepoint, 0, 0), clock.instant());
    cluster.update(s -> s.withJobs(Map.of(JOB, view), clock.instant()));
  }

  private static CompletableFuture<Status> inProgress() {
    return CompletableFuture.completedFuture(new Status(Phase.IN_PROGRESS, null, null));
  }

  @Test
  void a_savepoint_just_triggered_is_checked_soon_then_less_often() {
    Duration track = Duration.ofMillis(500);
    assertThat(service.nextCheckIn(track)).as("nothing in flight").isEqualTo(track);
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status =
        (job, trigger) ->
            CompletableFuture.completedFuture(
                new FlinkSavepoints.Status(FlinkSavepoints.Phase.IN_PROGRESS, null, null));
    java.util.concurrent.atomic.AtomicInteger triggers =
        new java.util.concurrent.atomic.AtomicInteger();
    service.observeTriggers(triggers::incrementAndGet);

    service.request(JOB, null, null, SavepointOrigin.MANUAL);

    assertThat(triggers.get()).as("the tracker is told of the trigger").isEqualTo(1);
    assertThat(service.nextCheckIn(track)).isEqualTo(Duration.ofMillis(20));
    clock.advance(Duration.ofSeconds(3));
    assertThat(service.nextCheckIn(track)).isEqualTo(Duration.ofMillis(100));
    clock.advance(Duration.ofSeconds(10));
    assertThat(service.nextCheckIn(track)).isEqualTo(track);
  }

  @Test
  void while_the_jobmanager_pushes_a_savepoint_is_checked_when_it_says_so() {
    Duration track = Duration.ofMillis(500);
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status =
        (job, trigger) ->
            CompletableFuture.completedFuture(
                new FlinkSavepoints.Status(FlinkSavepoints.Phase.IN_PROGRESS, null, null));
    boolean[] pushing = {true};
    service.relyOnPushWhile(() -> pushing[0]);
    service.request(JOB, null, null, SavepointOrigin.MANUAL);

    assertThat(service.nextCheckIn(track))
        .as("no close polling: the end is pushed")
        .isEqualTo(track);

    service.savepointPushed();
    assertThat(service.nextCheckIn(track)).as("just pushed").isEqualTo(Duration.ofMillis(20));
    clock.advance(Duration.ofSeconds(3));
    assertThat(service.nextCheckIn(track)).isEqualTo(track);

    pushing[0] = false; // the JobManager went quiet: polling as without push, by the age
    assertThat(service.nextCheckIn(track)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void a_savepoint_is_recorded_before_its_trigger_is_sent() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.trigger =
        (job, trigger) -> {
          assertThat(ledger.read().sections().get("savepoints.json"))
              .as("the ledger holds the trigger id when Flink is asked")
              .contains(trigger);
          return CompletableFuture.completedFuture(null);
        };

    SavepointRecord record = now(service.request(JOB, null, null, SavepointOrigin.MANUAL));

    assertThat(record.state()).isEqualTo(SavepointState.COMPLETED);
    assertThat(record.path()).isEqualTo("file:/savepoints/savepoint-" + record.triggerId());
    assertThat(record.attempts()).isEqualTo(1);
  }

  @Test
  void a_savepoint_whose_record_cannot_be_stored_is_never_triggered_and_the_call_says_so() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    recordFails = true;

    assertThatThrownBy(() -> service.request(JOB, null, null, SavepointOrigin.MANUAL))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("HTTP 503")
        .extracting(e -> ((Refused) e).kind())
        .isEqualTo(Refused.Kind.UNAVAILABLE);

    assertThat(flink.calls).isEmpty();
    assertThat(service.ofJob(JOB))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(SavepointState.ABANDONED);
              assertThat(r.error()).contains("no trigger was sent");
            });
    recordFails = false;
    service.tick();
    assertThat(flink.calls).as("an abandoned request stays untriggered").isEmpty();
  }

  @Test
  void a_retrys_new_trigger_id_is_stored_before_it_is_sent_and_not_sent_while_it_cannot_be() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status =
        (job, trigger) ->
            CompletableFuture.completedFuture(new Status(Phase.FAILED, null, "Disk full"));
    SavepointRecord first = now(service.request(JOB, null, null, SavepointOrigin.MANUAL));
    assertThat(first.state()).isEqualTo(SavepointState.TRIGGER_PENDING);
    String retryTrigger = first.triggerId();
    flink.trigger =
        (job, trigger) -> {
          assertThat(ledger.read().sections().get("savepoints.json"))
              .as("the retry's trigger id is stored when Flink is asked")
              .contains(trigger);
          return CompletableFuture.completedFuture(null);
        };

    recordFails = true;
    clock.advance(Duration.ofSeconds(10));
    service.tick();
    assertThat(flink.count("trigger")).as("not sent while unrecorded").isEqualTo(1);
    assertThat(events.query(JOB, null).get(0).message()).contains("is not sent until");

    recordFails = false;
    clock.advance(Duration.ofSeconds(5));
    service.tick();
    assertThat(flink.calls).contains("trigger " + JOB + " " + retryTrigger);
  }

  @Test
  void a_failed_savepoint_is_retried_with_backoff_then_fails_with_flinks_message() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status =
        (job, trigger) ->
            CompletableFuture.completedFuture(new Status(Phase.FAILED, null, "Disk full"));

    SavepointRecord first = now(service.request(JOB, null, null, SavepointOrigin.MANUAL));
    assertThat(first.state()).isEqualTo(SavepointState.TRIGGER_PENDING);
    assertThat(first.nextAttemptAt()).isEqualTo(T0.plusSeconds(10));

    service.tick();
    assertThat(flink.count("trigger")).as("not before the backoff").isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    service.tick();
    SavepointRecord second = service.get(JOB, first.id()).orElseThrow();
    assertThat(second.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(20));
    clock.advance(Duration.ofSeconds(20));
    service.tick();

    SavepointRecord failed = service.get(JOB, first.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(SavepointState.FAILED);
    assertThat(failed.error()).isEqualTo("Disk full");
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(flink.count("trigger")).isEqualTo(3);
    assertThat(flink.calls.stream().filter(c -> c.startsWith("trigger")).distinct().count())
        .as("each retry carries a new trigger id")
        .isEqualTo(3);
  }

  @Test
  void a_trigger_that_cannot_be_sent_is_resent_with_the_same_trigger_id() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    int[] sends = {0};
    flink.trigger =
        (job, trigger) ->
            sends[0]++ == 0
                ? CompletableFuture.failedFuture(new ConnectException("refused"))
                : CompletableFuture.completedFuture(null);

    SavepointRecord pending = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    clock.advance(Duration.ofSeconds(10));
    service.tick();

    assertThat(service.get(JOB, pending.id()).orElseThrow().state())
        .isEqualTo(SavepointState.COMPLETED);
    assertThat(flink.calls.stream().filter(c -> c.startsWith("trigger")).distinct().toList())
        .containsExactly("trigger " + JOB + " " + pending.triggerId());
  }

  @Test
  void a_savepoint_that_takes_too_long_counts_as_failed() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status = (job, trigger) -> inProgress();
    SavepointRecord record = service.request(JOB, null, null, SavepointOrigin.MANUAL);

    clock.advance(Duration.ofSeconds(59));
    service.tick();
    assertThat(service.get(JOB, record.id()).orElseThrow().state())
        .isEqualTo(SavepointState.IN_PROGRESS);
    clock.advance(Duration.ofSeconds(1));
    service.tick();

    SavepointRecord retried = service.get(JOB, record.id()).orElseThrow();
    assertThat(retried.state()).isEqualTo(SavepointState.TRIGGER_PENDING);
    assertThat(retried.error()).contains("Not completed within PT1M");
  }

  @Test
  void after_a_restart_an_in_flight_savepoint_is_completed_by_its_trigger_id_not_triggered_again()
      throws Exception {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status = (job, trigger) -> inProgress();
    SavepointRecord record = service.request(JOB, null, null, SavepointOrigin.MANUAL);

    restartSidecar();
    flink.status =
        (job, trigger) ->
            CompletableFuture.completedFuture(new Status(Phase.COMPLETED, "file:/sp/1", null));
    service.tick();

    SavepointRecord done = service.get(JOB, record.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(SavepointState.COMPLETED);
    assertThat(done.path()).isEqualTo("file:/sp/1");
    assertThat(flink.count("trigger")).isEqualTo(1);
  }

  @Test
  void a_trigger_forgotten_by_a_new_leader_is_completed_from_the_checkpoint_history() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status = (job, trigger) -> inProgress();
    SavepointRecord record = service.request(JOB, null, null, SavepointOrigin.MANUAL);

    clock.advance(Duration.ofSeconds(5));
    jobIs(
        JobStatus.RUNNING,
        Optional.of(new CheckpointInfo(12, clock.instant().toEpochMilli(), true, "file:/sp/12")));
    flink.status =
        (job, trigger) -> CompletableFuture.completedFuture(new Status(Phase.UNKNOWN, null, null));
    service.tick();

    SavepointRecord done = service.get(JOB, record.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(SavepointState.COMPLETED);
    assertThat(done.path()).isEqualTo("file:/sp/12");
  }

  @Test
  void a_forgotten_trigger_without_a_later_savepoint_is_abandoned_with_the_reason() {
    jobIs(
        JobStatus.RUNNING,
        Optional.of(new CheckpointInfo(3, T0.minusSeconds(60).toEpochMilli(), true, "file:/old")));
    flink.status =
        (job, trigger) -> CompletableFuture.completedFuture(new Status(Phase.UNKNOWN, null, null));

    SavepointRecord record = now(service.request(JOB, null, null, SavepointOrigin.MANUAL));

    assertThat(record.state()).isEqualTo(SavepointState.ABANDONED);
    assertThat(record.error()).contains("does not know trigger " + record.triggerId());
    assertThat(events.query(JOB, null))
        .extracting(Event::type)
        .contains(EventTypes.SAVEPOINT_ABANDONED);
  }

  @Test
  void one_savepoint_at_a_time_per_job_and_only_of_running_jobs() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status = (job, trigger) -> inProgress();
    service.request(JOB, null, null, SavepointOrigin.MANUAL);

    assertThatThrownBy(() -> service.request(JOB, null, null, SavepointOrigin.MANUAL))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("one savepoint at a time");
    jobIs(JobStatus.RESTARTING, Optional.empty());
    assertThatThrownBy(() -> service.stopWithSavepoint(JOB, null, false, null))
        .hasMessageContaining("RESTARTING");
    assertThatThrownBy(() -> service.request("nope", null, null, SavepointOrigin.MANUAL))
        .hasMessageContaining("No job");
    assertThat(flink.count("trigger")).isEqualTo(1);
  }

  @Test
  void retention_keeps_the_newest_and_disposes_of_the_rest_through_flink() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    SavepointRecord a = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    clock.advance(Duration.ofMinutes(1));
    SavepointRecord b = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    clock.advance(Duration.ofMinutes(1));
    SavepointRecord c = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    flink.dispose =
        path ->
            path.equals(a.triggerId())
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.completedFuture(null);

    service.tick();

    assertThat(service.get(JOB, a.id()).orElseThrow().disposed()).isTrue();
    assertThat(service.get(JOB, b.id()).orElseThrow().disposed()).isFalse();
    assertThat(service.get(JOB, c.id()).orElseThrow().disposed()).isFalse();
    assertThat(flink.calls).contains("dispose " + service.get(JOB, a.id()).orElseThrow().path());
  }

  @Test
  void retention_by_age_never_disposes_of_the_newest_and_retries_failed_disposals() {
    defaults = new SavepointPolicy(null, null, List.of(), 10, Duration.ofHours(1), true);
    service = newService();
    jobIs(JobStatus.RUNNING, Optional.empty());
    SavepointRecord old = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    clock.advance(Duration.ofMinutes(1));
    SavepointRecord newest = service.request(JOB, null, null, SavepointOrigin.MANUAL);
    clock.advance(Duration.ofHours(2));
    flink.dispose = path -> CompletableFuture.failedFuture(new ConnectException("refused"));

    service.tick();
    assertThat(service.get(JOB, old.id()).orElseThrow().disposalError()).contains("refused");
    flink.dispose = path -> CompletableFuture.completedFuture(null);
    service.tick();

    assertThat(service.get(JOB, old.id()).orElseThrow().disposed()).isTrue();
    assertThat(service.get(JOB, newest.id()).orElseThrow().disposed())
        .as("the newest completed savepoint is never disposed of, however old")
        .isFalse();
  }

  @Test
  void an_interval_schedule_takes_savepoints_and_skips_blackout_windows() {
    defaults =
        new SavepointPolicy(
            Duration.ofHours(1),
            null,
            List.of(new BlackoutWindow("0 12 * * *", Duration.ofHours(2), ZoneOffset.UTC)),
            10,
            Duration.ofDays(7),
            true);
    service = newService();
    jobIs(JobStatus.RUNNING, Optional.empty());

    service.tick(); // first sight of the job at 10:00
    clock.advance(Duration.ofMinutes(59));
    service.tick();
    assertThat(service.ofJob(JOB)).isEmpty();
    clock.advance(Duration.ofMinutes(1)); // 11:00
    service.tick();
    assertThat(service.ofJob(JOB)).hasSize(1);
    assertThat(service.ofJob(JOB).get(0).origin()).isEqualTo(SavepointOrigin.SCHEDULED);

    clock.advance(Duration.ofHours(1)); // 12:00: blackout until 14:00
    service.tick();
    clock.advance(Duration.ofMinutes(90));
    service.tick();
    assertThat(service.ofJob(JOB)).hasSize(1);
    clock.advance(Duration.ofMinutes(30)); // 14:00
    service.tick();
    assertThat(service.ofJob(JOB)).hasSize(2);
  }

  @Test
  void a_cron_schedule_takes_a_savepoint_after_each_firing() {
    defaults = new SavepointPolicy(null, "30 * * * *", List.of(), 10, Duration.ofDays(7), true);
    service = newService();
    jobIs(JobStatus.RUNNING, Optional.empty());

    service.tick(); // 10:00
    clock.advance(Duration.ofMinutes(29));
    service.tick();
    assertThat(service.ofJob(JOB)).isEmpty();
    clock.advance(Duration.ofMinutes(1)); // 10:30
    service.tick();
    clock.advance(Duration.ofMinutes(10));
    service.tick();
    assertThat(service.ofJob(JOB)).hasSize(1);
  }

  @Test
  void shutdown_savepoints_are_taken_and_their_outcome_recorded() {
    jobIs(JobStatus.RUNNING, Optional.empty());

    List<SavepointRecord> taken =
        service.takeShutdownSavepoints(
            Duration.ofSeconds(30), () -> clock.advance(Duration.ofSeconds(1)));

    assertThat(taken)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.origin()).isEqualTo(SavepointOrigin.SHUTDOWN);
              assertThat(r.state()).isEqualTo(SavepointState.COMPLETED);
            });
  }

  @Test
  void a_shutdown_savepoint_that_outlasts_the_grace_period_stays_on_record_for_the_next_sidecar()
      throws Exception {
    jobIs(JobStatus.RUNNING, Optional.empty());
    flink.status = (job, trigger) -> inProgress();

    List<SavepointRecord> taken =
        service.takeShutdownSavepoints(
            Duration.ofSeconds(5), () -> clock.advance(Duration.ofSeconds(1)));

    assertThat(taken)
        .singleElement()
        .extracting(SavepointRecord::state)
        .isEqualTo(SavepointState.IN_PROGRESS);
    restartSidecar();
    assertThat(book.inFlight(JOB)).isPresent();
  }

  @Test
  void stop_with_savepoint_is_tracked_and_cancel_is_an_event() {
    jobIs(JobStatus.RUNNING, Optional.empty());

    SavepointRecord stop = now(service.stopWithSavepoint(JOB, "s3://b/sp", true, Format.NATIVE));
    assertThat(stop.origin()).isEqualTo(SavepointOrigin.STOP);
    assertThat(stop.drain()).isTrue();
    assertThat(stop.state()).isEqualTo(SavepointState.COMPLETED);
    assertThat(flink.count("stop")).isEqualTo(1);
    assertThat(flink.received)
        .filteredOn(c -> c.method().equals("stop"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.targetDirectory()).isEqualTo("s3://b/sp");
              assertThat(c.format()).isEqualTo(Format.NATIVE);
              assertThat(c.drain()).isTrue();
              assertThat(c.triggerId()).isEqualTo(stop.triggerId());
            });

    service.cancel(JOB);
    assertThat(flink.count("cancel")).isEqualTo(1);
    assertThat(events.query(JOB, null)).extracting(Event::type).contains(EventTypes.JOB_CANCELLED);
  }

  @Test
  void a_savepoint_taken_elsewhere_is_registered_once_flink_can_read_it() {
    jobIs(JobStatus.RUNNING, Optional.empty());
    Instant written = T0.minus(Duration.ofDays(3));
    flink.readablePaths.put(
        "s3://b/savepoints/savepoint-old",
        new FlinkSavepoints.Readable(42, written, "s3://b/savepoints/savepoint-old"));

    SavepointRecord registered = service.register(JOB, "s3://b/savepoints/savepoint-old");
    service.tick();

    assertThat(flink.calls).as("nothing is triggered for it").isEmpty();
    SavepointRecord done = now(registered);
    assertThat(done.state()).isEqualTo(SavepointState.COMPLETED);
    assertThat(done.origin()).isEqualTo(SavepointOrigin.REGISTERED);
    assertThat(done.completedAt()).as("as of when it was written").isEqualTo(written);
    assertThat(done.path()).isEqualTo("s3://b/savepoints/savepoint-old");
    assertThatThrownBy(() -> service.register(JOB, "s3://b/savepoints/savepoint-old"))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("already has path");

    SavepointRecord unreadable = service.register(JOB, "s3://b/savepoints/not-there");
    service.tick();
    assertThat(now(unreadable).state()).isEqualTo(SavepointState.FAILED);
    assertThat(now(unreadable).error()).contains("Flink cannot read it").contains("_metadata");

    // The same files under another spelling: Flink's own pointer tells, and it is refused.
    flink.readablePaths.put(
        "s3://b/savepoints/savepoint-old/_metadata",
        new FlinkSavepoints.Readable(42, written, "s3://b/savepoints/savepoint-old"));
    SavepointRecord again = service.register(JOB, "s3://b/savepoints/savepoint-old/_metadata");
    service.tick();
    assertThat(now(again).state()).isEqualTo(SavepointState.FAILED);
    assertThat(now(again).error()).contains("already", registered.id());

    assertThatThrownBy(() -> service.register("0000000000000000000000000000dead", "s3://x/y"))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("No job");
  }
}
