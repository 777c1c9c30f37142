package dev.flinksupervisor;

import dev.flinksupervisor.api.AdminApi;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.FlinkClients;
import dev.flinksupervisor.flink.KubernetesHaRetainedCheckpoints;
import dev.flinksupervisor.flink.LeaderWatch;
import dev.flinksupervisor.flink.RestFlinkGateway;
import dev.flinksupervisor.store.ConfigMapLedger;
import dev.flinksupervisor.store.KubernetesClients;
import dev.flinksupervisor.store.LedgerException;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.LeadershipTracker;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.RolePolicy;
import dev.flinksupervisor.supervision.SupervisionLoop;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the sidecar: builds every part from the configuration with plain
 * constructors, starts them in order and closes them in reverse.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

  private final RestClusterClient<StandaloneClusterId> restClient;
  private final KubernetesHaRetainedCheckpoints retainedCheckpoints;
  private final KubernetesClient kubernetes;
  private final LedgerKeeper ledger;
  private final ScheduledExecutorService executor;
  private final SupervisionLoop loop;
  private final AdminApi api;

  private Sidecar(
      RestClusterClient<StandaloneClusterId> restClient,
      KubernetesHaRetainedCheckpoints retainedCheckpoints,
      KubernetesClient kubernetes,
      LedgerKeeper ledger,
      ScheduledExecutorService executor,
      SupervisionLoop loop,
      AdminApi api) {
    this.restClient = restClient;
    this.retainedCheckpoints = retainedCheckpoints;
    this.kubernetes = kubernetes;
    this.ledger = ledger;
    this.executor = executor;
    this.loop = loop;
    this.api = api;
  }

  public static Sidecar start(SupervisorConfig config, Clock clock) throws Exception {
    ClusterState state = new ClusterState();
    EventLog events = new EventLog(clock, config.get(SupervisorOptions.EVENT_CAPACITY));
    LeadershipTracker leadership =
        new LeadershipTracker(
            state,
            events,
            new RolePolicy(config.getOptional(SupervisorOptions.OWN_ADDRESS)),
            clock);
    LeaderWatch leaderWatch = new LeaderWatch(clock);
    leaderWatch.subscribe(leadership::onLeaderChange);

    Configuration flinkConfiguration = FlinkClients.flinkConfiguration(config);
    KubernetesHaRetainedCheckpoints retainedCheckpoints =
        new KubernetesHaRetainedCheckpoints(flinkConfiguration);
    RestClusterClient<StandaloneClusterId> restClient =
        FlinkClients.restClient(flinkConfiguration, leaderWatch);
    RestFlinkGateway gateway =
        new RestFlinkGateway(restClient, config.get(SupervisorOptions.REQUEST_TIMEOUT));

    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("supervision"));
    KubernetesClient kubernetes =
        KubernetesClients.create(
            config.getOptional(SupervisorOptions.KUBECONFIG),
            config.get(SupervisorOptions.NAMESPACE));
    LedgerKeeper ledger =
        new LedgerKeeper(
            new ConfigMapLedger(
                kubernetes,
                config.get(SupervisorOptions.NAMESPACE),
                config.get(SupervisorOptions.CLUSTER_ID),
                ConfigMapLedger.DEFAULT_CAPACITY_BYTES),
            List.of(events),
            () -> state.snapshot().leadership().role() == Role.ACTIVE);
    try {
      ledger.restore();
    } catch (LedgerException e) {
      LOG.warn("The sidecar's record could not be read; starting without it: {}", e.getMessage());
    }
    SupervisionLoop loop =
        new SupervisionLoop(
            gateway,
            state,
            events,
            clock,
            new Backoff(
                config.get(SupervisorOptions.POLL_INTERVAL),
                config.get(SupervisorOptions.MAX_BACKOFF)),
            config.get(SupervisorOptions.DETAILS_INTERVAL),
            retainedCheckpoints,
            config.get(SupervisorOptions.RETAINED_READ_INTERVAL),
            executor);

    AdminApi api =
        new AdminApi(
            new AdminApi.Settings(
                config.get(SupervisorOptions.API_HOST),
                config.get(SupervisorOptions.API_PORT),
                config.get(SupervisorOptions.ADMIN_TOKEN),
                config.get(SupervisorOptions.CLUSTER_ID),
                config.get(SupervisorOptions.NAMESPACE),
                config.get(SupervisorOptions.STALE_AFTER)),
            state,
            events,
            clock);
    Sidecar sidecar =
        new Sidecar(restClient, retainedCheckpoints, kubernetes, ledger, executor, loop, api);
    try {
      api.start();
      loop.start();
      ledger.start(executor, config.get(SupervisorOptions.LEDGER_FLUSH_INTERVAL));
    } catch (RuntimeException e) {
      sidecar.close();
      throw e;
    }
    LOG.info(
        "Supervising Flink cluster '{}' in namespace '{}'",
        config.get(SupervisorOptions.CLUSTER_ID),
        config.get(SupervisorOptions.NAMESPACE));
    return sidecar;
  }

  /** The admin API's bound port. */
  public int apiPort() {
    return api.port();
  }

  @Override
  public void close() {
    loop.close();
    ledger.close();
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    api.close();
    restClient.close();
    retainedCheckpoints.close();
    kubernetes.close();
  }
}
