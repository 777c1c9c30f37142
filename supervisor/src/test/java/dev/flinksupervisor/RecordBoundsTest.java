package dev.flinksupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.jobs.JarFiles;
import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.JobSpec;
import dev.flinksupervisor.jobs.OwnedJob;
import dev.flinksupervisor.jobs.OwnedJobs;
import dev.flinksupervisor.jobs.RecoveryPolicy;
import dev.flinksupervisor.jobs.Reprofiles;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointOrigin;
import dev.flinksupervisor.savepoints.SavepointPolicy;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.savepoints.SavepointSettings;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.slots.SlotProfiles;
import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.store.Ledgers;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.HealthThresholds;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.RecordEvents;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.testing.FakeFlinkJobs;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.SequentialIds;
import dev.flinksupervisor.util.JobLanes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run of the record's owners on simulated time: thousands of scheduled savepoints of live
 * jobs and hundreds of jobs that finish. The record stays within the ConfigMap's budget, and the
 * newest state of every live job is always in it.
 */
class RecordBoundsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final int LIVE_JOBS = 10;
  private static final int FINISHED_JOBS = 200;

  @TempDir Path jars;
  private final MutableClock clock = new MutableClock(T0);
  private final ClusterState cluster = new ClusterState();
  private final EventLog events = new EventLog(clock, 1000);
  private final SavepointBook book = new SavepointBook();
  private final OwnedJobs owned = new OwnedJobs();
  private final Reprofiles reprofiles = new Reprofiles();
  private final HealthPolicies health =
      new HealthPolicies(
          new HealthThresholds(
              3, Duration.ofMinutes(10), Duration.ofMinutes(10), 3, Duration.ofMinutes(5)));
  private final RestorableRecord restorable = new RestorableRecord();

  /** Tighter than a ConfigMap's budget, so that the run also has to shed history to fit. */
  private static final int BUDGET = 400_000;

  private final InMemoryLedger ledger = new InMemoryLedger(BUDGET);
  private final Map<String, JobView> jobs = new HashMap<>();

  private void jobIs(String id, JobStatus status) {
    jobs.put(id, JobView.firstSeen(new JobSummary(id, "job-" + id, status, 1, -1, 1, 1)));
    cluster.update(s -> s.withJobs(jobs, clock.instant()));
  }

  private void gone(String id) {
    jobs.remove(id);
    cluster.update(s -> s.withJobs(jobs, clock.instant()));
  }

  @Test
  void thousands_of_savepoints_and_hundreds_of_finished_jobs_stay_within_the_budget()
      throws Exception {
    Files.writeString(jars.resolve("app.jar"), "the fake does not read it");
    LedgerKeeper keeper =
        new LedgerKeeper(
            ledger,
            List.of(book, owned, reprofiles, health, restorable, events),
            () -> 1,
            new RecordEvents(events),
            clock,
            Duration.ofSeconds(1));
    keeper.step();
    SavepointService savepoints =
        new SavepointService(
            new FakeFlinkSavepoints(),
            book,
            cluster,
            events,
            clock,
            new SavepointSettings(
                new SavepointPolicy(
                    Duration.ofMinutes(30), null, List.of(), 5, Duration.ofDays(7), true),
                Duration.ofMinutes(10),
                3,
                new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5)),
                null,
                Format.CANONICAL),
            new SequentialIds(),
            keeper::step,
            new JobLanes(Runnable::run));
    JobLanes jobLanes = new JobLanes(Runnable::run);
    SequentialIds jobIds = new SequentialIds();
    JarFiles jarFiles = new JarFiles(jars, jars.resolve("uploads"));
    JobService jobService =
        new JobService(
            new FakeFlinkJobs(),
            owned,
            book,
            cluster,
            events,
            clock,
            jarFiles,
            jobIds,
            keeper::step,
            SlotProfiles.NONE,
            reprofiles,
            jobLanes,
            Duration.ofDays(7));
    dev.flinksupervisor.jobs.Recovery recovery =
        new dev.flinksupervisor.jobs.Recovery(
            jobService,
            owned,
            book,
            cluster,
            events,
            clock,
            jobIds,
            keeper::step,
            reprofiles,
            jobLanes,
            Duration.ofMinutes(10),
            dev.flinksupervisor.jobs.Recovery.DEFAULT_CHECKPOINT_SETTLE,
            (known, before) -> java.util.Optional.empty());
    Housekeeping housekeeping =
        new Housekeeping(
            jobService,
            book,
            health,
            restorable,
            jarFiles,
            cluster,
            () -> true,
            Duration.ofDays(7),
            clock);

    List<String> live = new ArrayList<>();
    for (int i = 0; i < LIVE_JOBS; i++) {
      String id = String.format("%032x", 0xA000 + i);
      live.add(id);
      jobIs(id, JobStatus.RUNNING);
    }
    JobSpec spec =
        new JobSpec(
            "app.jar",
            "com.example.App",
            List.of(),
            1,
            null,
            false,
            RecoveryPolicy.NONE,
            Map.of(),
            false);
    int maxBytes = 0;
    int finished = 0;
    Duration step = Duration.ofMinutes(10);
    for (int tick = 0; tick < 8 * 24 * 6; tick++) {
      clock.advance(step);
      if (finished < FINISHED_JOBS && tick % 3 == 0) {
        // A job is submitted, takes two savepoints, and finishes; Flink forgets it an hour later.
        OwnedJob job = jobService.submit(spec);
        jobIs(job.jobId(), JobStatus.RUNNING);
        savepoints.request(job.jobId(), null, null, SavepointOrigin.MANUAL);
        savepoints.request(job.jobId(), null, null, SavepointOrigin.MANUAL);
        jobIs(job.jobId(), JobStatus.FINISHED);
        finished++;
      }
      for (String id : new ArrayList<>(jobs.keySet())) {
        if (jobs.get(id).summary().status() == JobStatus.FINISHED && tick % 6 == 0) {
          gone(id);
        }
      }
      cluster.update(s -> s.withJobs(jobs, clock.instant()));
      savepoints.tick();
      recovery.tick(true);
      if (tick % 6 == 0) {
        housekeeping.run();
      }
      keeper.step();
      maxBytes = Math.max(maxBytes, Ledgers.sizeOf(ledger.read().sections()));
      assertThat(keeper.status().problem()).as("at tick " + tick).isEmpty();
    }

    long scheduled =
        book.all().stream().filter(r -> r.origin() == SavepointOrigin.SCHEDULED).count();
    System.out.printf(
        "Simulated 8 days: %d finished jobs, largest record %d bytes of %d; %d scheduled records"
            + " kept%n",
        finished, maxBytes, ledger.capacityBytes(), scheduled);
    assertThat(finished).isEqualTo(FINISHED_JOBS);
    assertThat(maxBytes).isLessThanOrEqualTo(BUDGET);

    SavepointBook stored = new SavepointBook();
    stored.merge(ledger.read().sections().get("savepoints.json"));
    for (String id : live) {
      SavepointRecord newest =
          book.ofJob(id).stream()
              .filter(r -> r.state() == SavepointState.COMPLETED && !r.disposed())
              .findFirst()
              .orElseThrow();
      assertThat(stored.get(newest.id())).as("the newest savepoint of live job " + id).isPresent();
      assertThat(
              stored.ofJob(id).stream()
                  .filter(r -> r.state() == SavepointState.COMPLETED && !r.disposed())
                  .count())
          .as("retention keeps five")
          .isEqualTo(5);
    }
    assertThat(owned.all())
        .as("jobs that finished more than the retention ago are forgotten")
        .allSatisfy(j -> assertThat(j.endedAt()).isAfter(clock.instant().minus(Duration.ofDays(8))))
        .hasSizeLessThan(FINISHED_JOBS);
    Instant expiredBefore = clock.instant().minus(Duration.ofDays(7).plusHours(1));
    assertThat(owned.all().stream().filter(j -> j.endedAt().isBefore(expiredBefore)))
        .as("housekeeping runs hourly: nothing that ended more than the retention and an hour ago")
        .isEmpty();
  }
}
