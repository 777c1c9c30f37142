package dev.flinksupervisor;

import dev.flinksupervisor.api.AdminApi;
import dev.flinksupervisor.api.ApiRole;
import dev.flinksupervisor.api.PemTls;
import dev.flinksupervisor.api.TokenFileWatcher;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.FlinkClients;
import dev.flinksupervisor.flink.KubernetesHaRetainedCheckpoints;
import dev.flinksupervisor.flink.LeaderWatch;
import dev.flinksupervisor.flink.RestFlinkGateway;
import dev.flinksupervisor.flink.RestFlinkJobs;
import dev.flinksupervisor.flink.RestFlinkSavepoints;
import dev.flinksupervisor.jobs.JarFiles;
import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.OwnedJobs;
import dev.flinksupervisor.jobs.Reprofiler;
import dev.flinksupervisor.jobs.Reprofiles;
import dev.flinksupervisor.lifecycle.PreStopHandshake;
import dev.flinksupervisor.lifecycle.ShutdownSavepoints;
import dev.flinksupervisor.metrics.MeteredFlinkGateway;
import dev.flinksupervisor.metrics.MeteredLedger;
import dev.flinksupervisor.metrics.MeteredRetainedCheckpoints;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.metrics.SupervisorMeters;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointPolicy;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.savepoints.SavepointSettings;
import dev.flinksupervisor.store.ConfigMapLedger;
import dev.flinksupervisor.store.KubernetesClients;
import dev.flinksupervisor.store.LedgerException;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.HealthThresholds;
import dev.flinksupervisor.supervision.LeadershipTracker;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.RolePolicy;
import dev.flinksupervisor.supervision.SupervisionLoop;
import dev.flinksupervisor.util.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the sidecar: builds every part from the configuration with plain
 * constructors, starts them in order and closes them in reverse.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

  private final List<AutoCloseable> resources;
  private final ShutdownSavepoints shutdownSavepoints;
  private final AdminApi api;

  private Sidecar(
      List<AutoCloseable> resources, ShutdownSavepoints shutdownSavepoints, AdminApi api) {
    this.resources = resources;
    this.shutdownSavepoints = shutdownSavepoints;
    this.api = api;
  }

  public static Sidecar start(SupervisorConfig config, Clock clock) throws Exception {
    // Closed in reverse order of this list.
    List<AutoCloseable> resources = new ArrayList<>();
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
    ClusterState state = new ClusterState();
    EventLog events = new EventLog(clock, config.get(SupervisorOptions.EVENT_CAPACITY));
    SavepointBook savepointBook = new SavepointBook();
    OwnedJobs ownedJobs = new OwnedJobs();
    Reprofiles reprofiles = new Reprofiles();
    RestorableRecord restorable = new RestorableRecord();
    HealthPolicies healthPolicies =
        new HealthPolicies(
            new HealthThresholds(
                config.get(SupervisorOptions.HEALTH_RESTART_LIMIT),
                config.get(SupervisorOptions.HEALTH_RESTART_WINDOW),
                config.get(SupervisorOptions.HEALTH_CHECKPOINT_WINDOW),
                config.get(SupervisorOptions.HEALTH_CHECKPOINT_FAILURE_LIMIT),
                config.get(SupervisorOptions.HEALTH_STUCK_AFTER)));

    MetricsSetup metrics = metricsSetup(config, clusterId, namespace);
    resources.add(metrics);
    SupervisorMeters meters = new SupervisorMeters(metrics.registry(), clock);

    KubernetesClient kubernetes =
        KubernetesClients.create(config.getOptional(SupervisorOptions.KUBECONFIG), namespace);
    resources.add(kubernetes);
    LedgerKeeper ledger =
        new LedgerKeeper(
            new MeteredLedger(
                new ConfigMapLedger(
                    kubernetes, namespace, clusterId, ConfigMapLedger.DEFAULT_CAPACITY_BYTES),
                metrics.registry()),
            // Events go last: they are the section that sheds its oldest entries to fit.
            List.of(savepointBook, ownedJobs, reprofiles, healthPolicies, restorable, events),
            () -> state.snapshot().leadership().role() == Role.ACTIVE);
    try {
      ledger.restore();
    } catch (LedgerException e) {
      LOG.warn("The sidecar's record could not be read; starting without it: {}", e.getMessage());
    }

    LeadershipTracker leadership =
        new LeadershipTracker(
            state,
            events,
            new RolePolicy(config.getOptional(SupervisorOptions.OWN_ADDRESS)),
            clock);
    LeaderWatch leaderWatch = new LeaderWatch(clock);
    leaderWatch.subscribe(
        leader -> {
          Role before = state.snapshot().leadership().role();
          leadership.onLeaderChange(leader);
          meters.leaderChanged();
          if (before != Role.ACTIVE && state.snapshot().leadership().role() == Role.ACTIVE) {
            // Take over what the previous active sidecar recorded, savepoints in flight included.
            ledger.restoreQuietly(savepointBook);
            ledger.restoreQuietly(healthPolicies);
            ledger.restoreQuietly(ownedJobs);
            ledger.restoreQuietly(reprofiles);
          }
        });

    Configuration flinkConfiguration = FlinkClients.flinkConfiguration(config);
    KubernetesHaRetainedCheckpoints retainedCheckpoints =
        new KubernetesHaRetainedCheckpoints(flinkConfiguration);
    resources.add(retainedCheckpoints);
    RestClusterClient<StandaloneClusterId> restClient =
        FlinkClients.restClient(flinkConfiguration, leaderWatch);
    resources.add(restClient);
    Duration requestTimeout = config.get(SupervisorOptions.REQUEST_TIMEOUT);

    ScheduledExecutorService supervisionThread =
        Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("supervision"));
    resources.add(() -> stop(supervisionThread));
    ScheduledExecutorService actionThread =
        Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("actions"));
    resources.add(() -> stop(actionThread));

    SupervisionLoop loop =
        new SupervisionLoop(
            new MeteredFlinkGateway(
                new RestFlinkGateway(restClient, requestTimeout), metrics.registry()),
            state,
            events,
            clock,
            new Backoff(
                config.get(SupervisorOptions.POLL_INTERVAL),
                config.get(SupervisorOptions.MAX_BACKOFF)),
            config.get(SupervisorOptions.DETAILS_INTERVAL),
            new MeteredRetainedCheckpoints(retainedCheckpoints, metrics.registry()),
            config.get(SupervisorOptions.RETAINED_READ_INTERVAL),
            healthPolicies::of,
            restorable,
            supervisionThread);
    loop.observe(meters);
    // A new leader is polled at once, not after the backoff the old one's silence built up.
    leaderWatch.subscribe(leader -> leader.ifPresent(l -> loop.wake()));
    SavepointService savepoints =
        new SavepointService(
            new RestFlinkSavepoints(restClient, requestTimeout),
            savepointBook,
            state,
            events,
            clock,
            savepointSettings(config),
            () -> new TriggerId().toHexString(),
            ledger::flushQuietly);

    savepoints.observe(meters::savepointEnded);
    JobService jobs =
        new JobService(
            new RestFlinkJobs(
                restClient, flinkConfiguration, Duration.ofMinutes(2), ForkJoinPool.commonPool()),
            ownedJobs,
            savepointBook,
            state,
            events,
            clock,
            new JarFiles(
                Path.of(config.get(SupervisorOptions.JAR_DIRECTORY)),
                Path.of(config.get(SupervisorOptions.UPLOAD_DIRECTORY))),
            () -> new JobID().toHexString(),
            ledger::flushQuietly,
            config.slotProfiles(),
            reprofiles);
    Reprofiler reprofiler =
        new Reprofiler(
            jobs,
            savepoints,
            savepointBook,
            reprofiles,
            state,
            events,
            clock,
            () -> UUID.randomUUID().toString(),
            () -> new JobID().toHexString(),
            ledger::flushQuietly,
            config.get(SupervisorOptions.ROLLBACK_RETRY_BACKOFF));

    Map<String, ApiRole> fixedTokens = new LinkedHashMap<>();
    config
        .getOptional(SupervisorOptions.ADMIN_TOKEN)
        .ifPresent(token -> fixedTokens.put(token, ApiRole.OPERATOR));
    config
        .getOptional(SupervisorOptions.VIEWER_TOKEN)
        .ifPresent(token -> fixedTokens.put(token, ApiRole.VIEWER));
    Optional<Path> tokensFile = config.getOptional(SupervisorOptions.TOKENS_FILE).map(Path::of);
    if (tokensFile.isEmpty() && !fixedTokens.containsValue(ApiRole.OPERATOR)) {
      throw new ConfigException(
          "Set 'admin.token' (SUPERVISOR_ADMIN_TOKEN) or 'admin.tokens-file': the admin API needs"
              + " at least one operator token.");
    }
    AtomicReference<AdminApi> apiRef = new AtomicReference<>();
    TokenFileWatcher tokenWatcher =
        tokensFile
            .map(
                file -> new TokenFileWatcher(file, fixedTokens, t -> apiRef.get().replaceTokens(t)))
            .orElse(null);
    Map<String, ApiRole> tokens;
    try {
      tokens = tokenWatcher == null ? fixedTokens : tokenWatcher.load();
    } catch (Exception e) {
      throw new ConfigException("Option 'admin.tokens-file': " + e.getMessage(), e);
    }
    Optional<PemTls> tls = tls(config);
    AdminApi api =
        new AdminApi(
            new AdminApi.Settings(
                config.get(SupervisorOptions.API_HOST),
                config.get(SupervisorOptions.API_PORT),
                tokens,
                clusterId,
                namespace,
                config.get(SupervisorOptions.STALE_AFTER),
                config.get(SupervisorOptions.METRICS_REQUIRE_TOKEN),
                config.get(SupervisorOptions.API_MAX_BODY_BYTES),
                tls,
                config.get(SupervisorOptions.API_MAX_CONCURRENT_ACTIONS),
                config.get(SupervisorOptions.API_IDLE_TIMEOUT),
                config.get(SupervisorOptions.MAX_UPLOAD_BYTES)),
            state,
            events,
            savepoints,
            healthPolicies,
            jobs,
            reprofiler,
            restorable,
            metrics,
            clock);

    apiRef.set(api);
    api.start();
    resources.add(api);
    tls.ifPresent(
        t -> {
          long every = config.get(SupervisorOptions.TLS_RELOAD_INTERVAL).toMillis();
          supervisionThread.scheduleWithFixedDelay(
              t::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        });
    if (tokenWatcher != null) {
      long reload = config.get(SupervisorOptions.TOKENS_RELOAD_INTERVAL).toMillis();
      supervisionThread.scheduleWithFixedDelay(
          tokenWatcher::poll, reload, reload, TimeUnit.MILLISECONDS);
    }
    loop.start();
    resources.add(loop);
    ledger.start(supervisionThread, config.get(SupervisorOptions.LEDGER_FLUSH_INTERVAL));
    resources.add(ledger);
    Duration track = config.get(SupervisorOptions.SAVEPOINT_TRACK_INTERVAL);
    Ticker actions =
        new Ticker(
            actionThread,
            () -> {
              if (state.snapshot().leadership().role() == Role.ACTIVE) {
                savepoints.tick();
                reprofiler.tick();
                jobs.tick();
              }
            },
            () -> savepoints.nextCheckIn(track));
    savepoints.observeTriggers(actions::wake);
    actions.start(track);
    resources.add(actions);
    ShutdownSavepoints shutdownSavepoints =
        new ShutdownSavepoints(
            () -> state.snapshot().leadership().role() == Role.ACTIVE,
            grace -> savepoints.takeShutdownSavepoints(grace, Sidecar::pause),
            config.get(SupervisorOptions.SAVEPOINT_SHUTDOWN_GRACE));
    config
        .getOptional(SupervisorOptions.SAVEPOINT_HANDSHAKE_DIRECTORY)
        .ifPresent(
            dir ->
                resources.add(
                    PreStopHandshake.start(Path.of(dir), shutdownSavepoints, supervisionThread)));
    LOG.info("Supervising Flink cluster '{}' in namespace '{}'", clusterId, namespace);
    return new Sidecar(resources, shutdownSavepoints, api);
  }

  private static Optional<PemTls> tls(SupervisorConfig config) {
    Optional<String> certificate = config.getOptional(SupervisorOptions.TLS_CERTIFICATE);
    Optional<String> key = config.getOptional(SupervisorOptions.TLS_KEY);
    if (certificate.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (certificate.isEmpty() || key.isEmpty()) {
      throw new ConfigException(
          "Options 'api.tls.certificate-file' and 'api.tls.key-file' go together; set both or"
              + " neither.");
    }
    try {
      return Optional.of(new PemTls(Path.of(certificate.get()), Path.of(key.get())));
    } catch (Exception e) {
      throw new ConfigException(
          "Option 'api.tls.key-file'/'api.tls.certificate-file': " + e.getMessage(), e);
    }
  }

  private static MetricsSetup metricsSetup(
      SupervisorConfig config, String clusterId, String namespace) {
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("k8s.namespace.name", namespace);
    identity.put(
        "k8s.pod.name",
        config.getOptional(SupervisorOptions.METRICS_POD_NAME).orElseGet(Sidecar::hostName));
    identity.put("flink.cluster.id", clusterId);
    return new MetricsSetup(
        identity,
        new MetricsSetup.Otlp(
            config.get(SupervisorOptions.OTLP_ENABLED),
            config.getOptional(SupervisorOptions.OTLP_URL),
            config.get(SupervisorOptions.OTLP_STEP),
            config.getOptional(SupervisorOptions.OTLP_HEADERS).orElse(Map.of()),
            config.getOptional(SupervisorOptions.OTLP_RESOURCE_ATTRIBUTES).orElse(Map.of())));
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  private static SavepointSettings savepointSettings(SupervisorConfig config) {
    SavepointPolicy defaults =
        new SavepointPolicy(
            config.getOptional(SupervisorOptions.SAVEPOINT_INTERVAL).orElse(null),
            config.getOptional(SupervisorOptions.SAVEPOINT_CRON).orElse(null),
            config
                .getOptional(SupervisorOptions.SAVEPOINT_BLACKOUT)
                .map(List::of)
                .orElse(List.of()),
            config.get(SupervisorOptions.SAVEPOINT_RETAIN_COUNT),
            config.get(SupervisorOptions.SAVEPOINT_RETAIN_AGE),
            config.get(SupervisorOptions.SAVEPOINT_ON_SHUTDOWN));
    return new SavepointSettings(
        defaults,
        config.get(SupervisorOptions.SAVEPOINT_TIMEOUT),
        config.get(SupervisorOptions.SAVEPOINT_MAX_ATTEMPTS),
        new Backoff(config.get(SupervisorOptions.SAVEPOINT_RETRY_BACKOFF), Duration.ofMinutes(5)),
        config.getOptional(SupervisorOptions.SAVEPOINT_TARGET_DIRECTORY).orElse(null),
        config.get(SupervisorOptions.SAVEPOINT_FORMAT));
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

  private static void stop(ScheduledExecutorService executor) throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
