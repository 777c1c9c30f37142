package dev.flinksupervisor;

import dev.flinksupervisor.api.AdminServer;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.ChildJvmJobGraphs;
import dev.flinksupervisor.flink.FileSystemCheckpointFiles;
import dev.flinksupervisor.flink.FlinkClients;
import dev.flinksupervisor.flink.KubernetesHaRetainedCheckpoints;
import dev.flinksupervisor.flink.LeaderWatch;
import dev.flinksupervisor.flink.RestFlinkGateway;
import dev.flinksupervisor.flink.RestFlinkJobs;
import dev.flinksupervisor.flink.RestFlinkSavepoints;
import dev.flinksupervisor.jobs.Jobs;
import dev.flinksupervisor.jobs.OwnedJobs;
import dev.flinksupervisor.jobs.Reprofiles;
import dev.flinksupervisor.kubernetes.KubernetesEventPolicy;
import dev.flinksupervisor.kubernetes.KubernetesEventRecorder;
import dev.flinksupervisor.kubernetes.PodStatusWatch;
import dev.flinksupervisor.lifecycle.PreStopHandshake;
import dev.flinksupervisor.lifecycle.ShutdownSavepoints;
import dev.flinksupervisor.metrics.MeteredFlinkGateway;
import dev.flinksupervisor.metrics.MeteredLedger;
import dev.flinksupervisor.metrics.MeteredRetainedCheckpoints;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.metrics.PushMeters;
import dev.flinksupervisor.metrics.RecordMeters;
import dev.flinksupervisor.metrics.SupervisorMeters;
import dev.flinksupervisor.push.PushHints;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.Savepoints;
import dev.flinksupervisor.store.ConfigMapLedger;
import dev.flinksupervisor.store.KubernetesClients;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.JobManagerRestarts;
import dev.flinksupervisor.supervision.LeadershipTracker;
import dev.flinksupervisor.supervision.RecordEvents;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.RolePolicy;
import dev.flinksupervisor.supervision.Supervision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the sidecar: builds every feature from the configuration with plain
 * constructors, starts them in order and closes them in reverse. Each feature owns its threads.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

  private final List<AutoCloseable> resources;
  private final ShutdownSavepoints shutdownSavepoints;
  private final AdminServer api;

  private Sidecar(
      List<AutoCloseable> resources, ShutdownSavepoints shutdownSavepoints, AdminServer api) {
    this.resources = resources;
    this.shutdownSavepoints = shutdownSavepoints;
    this.api = api;
  }

  public static Sidecar start(SupervisorConfig config, Clock clock) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>(); // closed in reverse order
    try {
      return build(config, clock, resources);
    } catch (Exception e) {
      closeAll(resources);
      throw e;
    }
  }

  private static Sidecar build(SupervisorConfig config, Clock clock, List<AutoCloseable> resources)
      throws Exception {
    String clusterId = config.get(SupervisorOptions.CLUSTER_ID);
    String namespace = config.get(SupervisorOptions.NAMESPACE);
    Duration kubernetesTimeout = config.get(SupervisorOptions.KUBERNETES_REQUEST_TIMEOUT);
    ClusterState state = new ClusterState();
    EventLog events = new EventLog(clock, config.get(SupervisorOptions.EVENT_CAPACITY));
    SavepointBook savepointBook = new SavepointBook();
    OwnedJobs ownedJobs = new OwnedJobs();
    Reprofiles reprofiles = new Reprofiles();
    RestorableRecord restorable = new RestorableRecord();
    HealthPolicies healthPolicies = HealthPolicies.fromConfig(config);
    MetricsSetup metrics = add(resources, MetricsSetup.fromConfig(config));
    SupervisorMeters meters = new SupervisorMeters(metrics.registry(), clock);

    // The record: read first, written only by the ACTIVE sidecar, conditionally.
    KubernetesClient kubernetes =
        add(
            resources,
            KubernetesClients.create(
                config.getOptional(SupervisorOptions.KUBECONFIG), namespace, kubernetesTimeout));
    LedgerKeeper record =
        new LedgerKeeper(
            new MeteredLedger(
                new ConfigMapLedger(
                    kubernetes, namespace, clusterId, ConfigMapLedger.DEFAULT_CAPACITY_BYTES),
                metrics.registry()),
            // Events go last: they are the section that sheds its oldest entries to fit.
            List.of(savepointBook, ownedJobs, reprofiles, healthPolicies, restorable, events),
            () -> state.snapshot().leadership().activeTerm(),
            new RecordEvents(events),
            clock,
            config.get(SupervisorOptions.LEDGER_WRITE_TIMEOUT));
    RecordMeters.bind(metrics.registry(), record);
    // Why the JobManager died: its container's restarts and last termination, from the pod.
    Optional<String> pod = config.getOptional(SupervisorOptions.METRICS_POD_NAME);
    Optional<PodStatusWatch> podStatus = Optional.empty();
    if (config.get(SupervisorOptions.JOBMANAGER_POD_STATUS) && pod.isPresent()) {
      JobManagerRestarts restarts =
          new JobManagerRestarts(
              state,
              events,
              config.get(SupervisorOptions.JOBMANAGER_RESTART_LIMIT),
              config.get(SupervisorOptions.JOBMANAGER_RESTART_WINDOW));
      podStatus =
          Optional.of(
              add(
                  resources,
                  new PodStatusWatch(
                      kubernetes,
                      namespace,
                      pod.get(),
                      config.get(SupervisorOptions.JOBMANAGER_CONTAINER_NAME),
                      container -> restarts.observe(container, clock.instant()))));
      SupervisorMeters.bindJobManager(metrics.registry(), state); // NaN until the pod is read
    }
    // The story for kubectl describe: Kubernetes Events on this pod.
    if (config.get(SupervisorOptions.KUBERNETES_EVENTS) && pod.isPresent()) {
      Optional<PodStatusWatch> uids = podStatus;
      add(
              resources,
              new KubernetesEventRecorder(
                  kubernetes,
                  namespace,
                  pod.get(),
                  () -> uids.flatMap(PodStatusWatch::podUid),
                  events,
                  new KubernetesEventPolicy(
                      clock,
                      config.get(SupervisorOptions.KUBERNETES_EVENTS_BURST),
                      config.get(SupervisorOptions.KUBERNETES_EVENTS_REFILL)),
                  clock))
          .start();
    }
    add(resources, record).start(config.get(SupervisorOptions.LEDGER_FLUSH_INTERVAL));

    // Leadership: Flink's client hears of a new leader first, then the sidecar.
    LeadershipTracker leadership =
        new LeadershipTracker(
            state,
            events,
            new RolePolicy(config.getOptional(SupervisorOptions.OWN_ADDRESS)),
            clock);
    AtomicReference<Supervision> polls = new AtomicReference<>();
    LeaderWatch leaderWatch = new LeaderWatch(clock);
    leaderWatch.subscribe(
        leader -> {
          Role before = state.snapshot().leadership().role();
          leadership.onLeaderChange(leader);
          meters.leaderChanged();
          Coordinator.takeover(before, state.snapshot().leadership().role(), record::wake);
          if (leader.isPresent() && polls.get() != null) {
            polls.get().wake(); // at once, not after the old leader's backoff
          }
        });
    Configuration flinkConfiguration = FlinkClients.flinkConfiguration(config);
    var restClient = add(resources, FlinkClients.restClient(flinkConfiguration, leaderWatch));
    Duration requestTimeout = config.get(SupervisorOptions.REQUEST_TIMEOUT);

    Supervision supervision =
        add(
            resources,
            new Supervision(
                config,
                new MeteredFlinkGateway(
                    new RestFlinkGateway(restClient, requestTimeout), metrics.registry()),
                new MeteredRetainedCheckpoints(
                    add(
                        resources,
                        new KubernetesHaRetainedCheckpoints(flinkConfiguration, kubernetesTimeout)),
                    metrics.registry()),
                state,
                events,
                healthPolicies,
                restorable,
                meters,
                clock));
    polls.set(supervision);
    Savepoints savepoints =
        add(
            resources,
            new Savepoints(
                config,
                new RestFlinkSavepoints(restClient, requestTimeout),
                savepointBook,
                state,
                events,
                clock,
                record));
    savepoints.service().observe(meters::savepointEnded);
    // Building a job graph runs the user's main(): on threads of its own, never a shared pool.
    ExecutorService jobGraphs =
        Executors.newCachedThreadPool(new ExecutorThreadFactory("job-graph"));
    resources.add(jobGraphs::shutdownNow);
    Jobs jobs =
        add(
            resources,
            new Jobs(
                config,
                new RestFlinkJobs(
                    restClient,
                    new ChildJvmJobGraphs(
                        flinkConfiguration,
                        config.get(SupervisorOptions.GRAPH_BUILDER_MEMORY_MB),
                        config.get(SupervisorOptions.GRAPH_BUILDER_TIMEOUT)),
                    config.get(SupervisorOptions.SUBMIT_TIMEOUT),
                    jobGraphs),
                ownedJobs,
                reprofiles,
                savepointBook,
                savepoints.service(),
                state,
                events,
                clock,
                record,
                add(resources, new FileSystemCheckpointFiles(kubernetesTimeout))));

    Duration staleAfter = config.get(SupervisorOptions.STALE_AFTER);
    java.util.function.BooleanSupplier fresh =
        () -> {
          Instant at = state.snapshot().lastSuccess();
          return at != null && !at.plus(staleAfter).isBefore(clock.instant());
        };
    Coordinator coordinator =
        new Coordinator(
            record::canAct,
            List.of(
                new Coordinator.Step("savepoints", savepoints.service()::tick),
                new Coordinator.Step("reprofiles", jobs.reprofiler()::tick),
                new Coordinator.Step("jobs", () -> jobs.recovery().tick(fresh.getAsBoolean()))),
            new Coordinator.Step(
                "housekeeping",
                new Housekeeping(
                    jobs.service(),
                    savepointBook,
                    healthPolicies,
                    restorable,
                    jobs.jars(),
                    state,
                    fresh,
                    config.get(SupervisorOptions.LEDGER_FINISHED_RETENTION),
                    clock)),
            Duration.ofMinutes(1),
            clock);

    // What the JobManager's push plugin says, taken as hints; with it, savepoints are not polled
    // closely while the JobManager will say when they end.
    PushHints pushHints =
        new PushHints(
            new PushHints.Targets() {
              @Override
              public void pollSoon() {
                supervision.pollSoon();
              }

              @Override
              public void failureAnnounced(String jobId, long failedAt) {
                supervision.failureAnnounced(jobId, failedAt);
              }

              @Override
              public void checkSavepoints() {
                savepoints.service().savepointPushed();
                coordinator.wake();
              }
            },
            events,
            new PushMeters(metrics.registry()),
            clock);
    savepoints.service().relyOnPushWhile(() -> pushHints.heardWithin(Duration.ofMinutes(2)));

    AdminServer api =
        add(
            resources,
            AdminServer.start(
                config,
                state,
                events,
                savepoints.service(),
                healthPolicies,
                jobs,
                restorable,
                record,
                metrics,
                pushHints,
                clock));
    supervision.start();
    Duration track = config.get(SupervisorOptions.SAVEPOINT_TRACK_INTERVAL);
    add(resources, coordinator).start(track, () -> savepoints.service().nextCheckIn(track));
    savepoints.service().observeTriggers(coordinator::wake);
    // Taken once, on SIGTERM or when the JobManager's preStop hook asks, whichever comes first.
    ShutdownSavepoints shutdownSavepoints =
        new ShutdownSavepoints(
            () -> state.snapshot().leadership().role() == Role.ACTIVE,
            grace -> savepoints.service().takeShutdownSavepoints(grace, Sidecar::pause),
            config.get(SupervisorOptions.SAVEPOINT_SHUTDOWN_GRACE));
    config
        .getOptional(SupervisorOptions.SAVEPOINT_HANDSHAKE_DIRECTORY)
        .ifPresent(dir -> resources.add(PreStopHandshake.start(Path.of(dir), shutdownSavepoints)));
    LOG.info("Supervising Flink cluster '{}' in namespace '{}'", clusterId, namespace);
    return new Sidecar(resources, shutdownSavepoints, api);
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  /** The admin API's bound port. */
  public int apiPort() {
    return api.port();
  }

  /**
   * The pod is stopping (SIGTERM): the ACTIVE sidecar takes the shutdown savepoints its policies
   * ask for, within the grace period, unless the JobManager's preStop hook had it take them
   * already, then everything closes.
   */
  public void shutdown() {
    shutdownSavepoints.takeOnce();
    close();
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn(
            "Closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    resources.clear();
  }
}
