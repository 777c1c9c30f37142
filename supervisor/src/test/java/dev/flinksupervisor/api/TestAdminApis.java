package dev.flinksupervisor.api;

import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.jobs.JarFiles;
import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.OwnedJobs;
import dev.flinksupervisor.jobs.Reprofiler;
import dev.flinksupervisor.jobs.Reprofiles;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointPolicy;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.savepoints.SavepointSettings;
import dev.flinksupervisor.slots.SlotProfiles;
import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.store.Ledger;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.HealthThresholds;
import dev.flinksupervisor.supervision.RecordEvents;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.testing.FakeFlinkJobs;
import dev.flinksupervisor.testing.SequentialIds;
import dev.flinksupervisor.util.JobLanes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An admin API over fakes of the Flink ports, with the sidecar's defaults elsewhere. */
final class TestAdminApis {
  private TestAdminApis() {}

  static AdminApi.Settings settings(
      Map<String, ApiRole> tokens, Optional<PemTls> tls, int maxConcurrentActions) {
    return settings(tokens, tls, maxConcurrentActions, AuthMethods.NONE);
  }

  /** As above, with ways to authenticate beside the static tokens. */
  static AdminApi.Settings settings(
      Map<String, ApiRole> tokens,
      Optional<PemTls> tls,
      int maxConcurrentActions,
      AuthMethods auth) {
    return new AdminApi.Settings(
        "127.0.0.1",
        0,
        tokens,
        "orders",
        "flink",
        Duration.ofSeconds(5),
        false,
        1024 * 1024,
        tls,
        maxConcurrentActions,
        Duration.ofSeconds(30),
        8 * 1024 * 1024,
        4,
        100,
        auth);
  }

  static MetricsSetup metrics() {
    return new MetricsSetup(
        Map.of("flink.cluster.id", "orders"),
        new MetricsSetup.Otlp(false, Optional.empty(), Duration.ofMinutes(1), Map.of(), Map.of()));
  }

  /** A started admin API over fakes and an empty cluster: for tests of who may do what. */
  static AdminApi started(AdminApi.Settings settings, Clock clock) {
    return create(
            settings,
            new ClusterState(),
            new EventLog(clock, 100),
            new dev.flinksupervisor.testing.FakeFlinkSavepoints(),
            metrics(),
            clock)
        .start();
  }

  static AdminApi create(
      AdminApi.Settings settings,
      ClusterState state,
      EventLog events,
      FlinkSavepoints flink,
      MetricsSetup metrics,
      Clock clock) {
    return create(settings, state, events, flink, metrics, clock, new InMemoryLedger(1_000_000));
  }

  /**
   * An admin API whose record lives in {@code ledger}, kept by a running keeper that is ACTIVE
   * (whatever the cluster state says, which only the API's own checks read), and whose actions run
   * on threads of their own, as in the sidecar.
   */
  static AdminApi create(
      AdminApi.Settings settings,
      ClusterState state,
      EventLog events,
      FlinkSavepoints flink,
      MetricsSetup metrics,
      Clock clock,
      Ledger ledger) {
    return create(settings, state, events, flink, metrics, clock, ledger, Optional.empty());
  }

  /** An admin API that also accepts the JobManager's pushes on {@code push}'s listener. */
  static AdminApi create(
      AdminApi.Settings settings,
      ClusterState state,
      EventLog events,
      FlinkSavepoints flink,
      MetricsSetup metrics,
      Clock clock,
      Ledger ledger,
      Optional<PushRoutes> push) {
    SavepointBook book = new SavepointBook();
    OwnedJobs owned = new OwnedJobs();
    Reprofiles reprofiles = new Reprofiles();
    SequentialIds jobIds = new SequentialIds();
    HealthPolicies health =
        new HealthPolicies(
            new HealthThresholds(
                3, Duration.ofMinutes(10), Duration.ofMinutes(10), 3, Duration.ofMinutes(5)));
    RestorableRecord restorable = new RestorableRecord();
    LedgerKeeper keeper =
        new LedgerKeeper(
            ledger,
            List.of(book, owned, reprofiles, health, restorable, events),
            () -> 1,
            new RecordEvents(events),
            Clock.systemUTC(),
            Duration.ofSeconds(5));
    keeper.step();
    keeper.start(Duration.ofMillis(100));
    SavepointService savepoints =
        new SavepointService(
            flink,
            book,
            state,
            events,
            clock,
            new SavepointSettings(
                new SavepointPolicy(null, null, List.of(), 5, Duration.ofDays(7), true),
                Duration.ofMinutes(10),
                3,
                new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5)),
                null,
                Format.CANONICAL),
            new SequentialIds(),
            keeper,
            new JobLanes("test-savepoints", 2));
    JobService jobs =
        new JobService(
            new FakeFlinkJobs(),
            owned,
            book,
            state,
            events,
            clock,
            new JarFiles(Path.of("target"), Path.of("target", "uploads")),
            jobIds,
            keeper,
            SlotProfiles.NONE,
            reprofiles,
            new JobLanes("test-jobs", 2),
            Duration.ofDays(7));
    JobLanes jobLanes = new JobLanes("test-jobs", 2);
    return new AdminApi(
        settings,
        state,
        events,
        savepoints,
        health,
        jobs,
        new dev.flinksupervisor.jobs.Recovery(
            jobs,
            owned,
            book,
            state,
            events,
            clock,
            jobIds,
            keeper,
            reprofiles,
            jobLanes,
            Duration.ofMinutes(10),
            dev.flinksupervisor.jobs.Recovery.DEFAULT_CHECKPOINT_SETTLE,
            (known, before) -> java.util.Optional.empty()),
        new Reprofiler(
            jobs,
            savepoints,
            book,
            reprofiles,
            state,
            events,
            clock,
            new SequentialIds(),
            jobIds,
            keeper,
            Duration.ofSeconds(5),
            jobLanes),
        restorable,
        keeper,
        metrics,
        clock,
        push);
  }
}
