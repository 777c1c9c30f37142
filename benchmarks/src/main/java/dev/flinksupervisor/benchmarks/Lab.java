package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.demo.EmbeddedKubernetes;
import dev.flinksupervisor.demo.job.DemoJob;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.PluginJars;
import dev.flinksupervisor.testing.Ports;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.kubernetes.utils.KubernetesUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ParameterTool;

/**
 * What the process-based benchmarks share, started once and on first use: a Kubernetes API
 * (fabric8's mock server in CRUD mode), a Flink session cluster of real processes with Kubernetes
 * HA on it (two JobManagers and a TaskManager, from {@link FlinkProcessCluster}), one steadily
 * running example job, and the packaged sidecar beside it.
 */
final class Lab implements AutoCloseable {
  static final String REST_LEADER_KEY = KubernetesUtils.createSingleLeaderKey("restserver");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Duration DETAILS_CACHE = Duration.ofMillis(50);

  private final Path workDir;
  private final Path sidecarJar;
  private final Http http = new Http();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private Cluster cluster;
  private Exception clusterFailure;
  private SidecarProcess sidecar;
  private int sidecars;

  /**
   * Where the JobManagers' push plugin delivers its events: the port of the shared sidecar's push
   * listener and the token file both read. Only the shared sidecar listens there.
   */
  record Push(int port, Path tokenFile) {
    String sidecarYaml() {
      return """
          push:
            token-file: %s
            port: %d
          """
          .formatted(tokenFile, port);
    }
  }

  private final Push push;
  private final KubernetesRequestLog kubernetesRequests = new KubernetesRequestLog();

  Lab(Path workDir, Path sidecarJar) {
    this.workDir = workDir;
    this.sidecarJar = sidecarJar;
    this.push = new Push(Ports.free(), workDir.resolve("push-token"));
  }

  Path workDir() {
    return workDir;
  }

  Path sidecarJar() {
    return sidecarJar;
  }

  Http http() {
    return http;
  }

  /** The Flink cluster, started on the first call; a start that failed fails every call. */
  synchronized Cluster cluster() throws Exception {
    if (clusterFailure != null) {
      throw new IllegalStateException(
          "The Flink cluster did not start: " + clusterFailure.getMessage(), clusterFailure);
    }
    if (cluster == null) {
      try {
        Files.createDirectories(workDir);
        Files.writeString(push.tokenFile(), "push-" + UUID.randomUUID() + "\n");
        cluster = Cluster.start(workDir, http, push, kubernetesRequests);
        resources.add(cluster);
      } catch (Exception e) {
        clusterFailure = e;
        throw e;
      }
    }
    return cluster;
  }

  /** Every request the cluster's Kubernetes API received, with its token. */
  KubernetesRequestLog kubernetesRequests() {
    return kubernetesRequests;
  }

  /**
   * A new {@link ClientsFloor} process for the cluster, serving {@code json} on {@code /bare/jobs};
   * the caller stops it.
   */
  SidecarProcess startFloor(Path json) throws Exception {
    Cluster c = cluster();
    return SidecarProcess.startFloor(
        c.sidecarTarget(), c.clientConfiguration().toMap(), json, workDir.resolve("floor"));
  }

  /**
   * A cluster of its own whose JobManager is a stub of Flink's REST API with {@code jobs} jobs
   * ({@link StubFlinkRest}, answers recorded from the real JobManager, which never change),
   * announced as REST leader in its own HA ConfigMap so that a sidecar finds it as it finds a
   * JobManager.
   */
  StubCluster startStubCluster(int jobs) throws Exception {
    Cluster cluster = cluster();
    StubFlinkRest.Recording recording =
        StubFlinkRest.Recording.of(http, cluster.leaderUrl(), cluster.steadyJob().toHexString());
    String clusterId = "stub-" + UUID.randomUUID().toString().substring(0, 8);
    StubFlinkRest stub = StubFlinkRest.start(recording, jobs);
    try {
      String namespace = cluster.kubernetes().namespace();
      ConfigMap leader =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(clusterId + "-cluster-config-map")
              .withNamespace(namespace)
              .withLabels(KubernetesUtils.getConfigMapLabels(clusterId))
              .endMetadata()
              .addToData(REST_LEADER_KEY, UUID.randomUUID() + "," + stub.url())
              .build();
      cluster.kubeClient().configMaps().inNamespace(namespace).resource(leader).create();
      return new StubCluster(
          stub, clusterId, namespace, workDir.resolve("stub-ha-" + clusterId).toUri().toString());
    } catch (RuntimeException e) {
      stub.close();
      throw e;
    }
  }

  /** A stub JobManager and the coordinates of its cluster. */
  record StubCluster(StubFlinkRest stub, String clusterId, String namespace, String haStorageDir)
      implements AutoCloseable {
    /** Where a sidecar finds it, calling the Kubernetes API with {@code kubeconfig}. */
    SidecarProcess.Target target(Path kubeconfig) {
      return new SidecarProcess.Target(clusterId, namespace, kubeconfig, haStorageDir);
    }

    @Override
    public void close() {
      stub.close();
    }
  }

  /** A new sidecar process for the cluster, polling only (no push); the caller stops it. */
  SidecarProcess startSidecar() throws Exception {
    return startSidecar(List.of());
  }

  /** A new polling-only sidecar process with {@code extraFlags} after the production flags. */
  SidecarProcess startSidecar(List<String> extraFlags) throws Exception {
    return startSidecar(extraFlags, "");
  }

  private SidecarProcess startSidecar(List<String> extraFlags, String moreYaml) throws Exception {
    Cluster c = cluster();
    return SidecarProcess.start(
        sidecarJar,
        c.sidecarTarget(),
        workDir.resolve("sidecars"),
        "sidecar-" + (++sidecars),
        extraFlags,
        moreYaml);
  }

  /**
   * The sidecar the benchmarks share, started and ready on the first call: configured as in a pod,
   * it also hears the JobManager's push plugin.
   */
  synchronized SidecarProcess sidecar() throws Exception {
    if (sidecar == null) {
      SidecarProcess started = startSidecar(List.of(), push.sidecarYaml());
      resources.add(started);
      started.awaitReady(http, Duration.ofSeconds(60));
      sidecar = started;
    }
    return sidecar;
  }

  @Override
  public synchronized void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        System.err.println("Stopping " + resources.get(i) + " failed: " + e);
      }
    }
    resources.clear();
  }

  /** Deletes the working directory: logs, configurations, checkpoints and savepoints. */
  void deleteWorkDir() {
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + workDir + ": " + e);
    }
  }

  /** The process cluster with its steady job. */
  static final class Cluster implements AutoCloseable {
    private final String clusterId;
    private final EmbeddedKubernetes kubernetes;
    private final KubernetesClient kubeClient;
    private final FlinkProcessCluster flink;
    private final List<JobManager> jobManagers = new ArrayList<>();
    private final RestClusterClient<StandaloneClusterId> client;
    private final Http http;
    private Duration jobManagerStartToReady;
    private JobID steadyJob;

    private Cluster(
        String clusterId,
        EmbeddedKubernetes kubernetes,
        FlinkProcessCluster flink,
        RestClusterClient<StandaloneClusterId> client,
        Http http) {
      this.clusterId = clusterId;
      this.kubernetes = kubernetes;
      this.kubeClient = kubernetes.client();
      this.flink = flink;
      this.client = client;
      this.http = http;
    }

    static Cluster start(Path workDir, Http http, Push push, KubernetesRequestLog requests)
        throws Exception {
      String clusterId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
      System.out.println("  starting the Kubernetes API and Flink cluster " + clusterId + " ...");
      EmbeddedKubernetes kubernetes =
          EmbeddedKubernetes.start(workDir.resolve("k8s"), "default", 0, requests::around);
      FlinkProcessCluster flink =
          new FlinkProcessCluster(
              workDir.resolve("flink"),
              kubernetes,
              clusterId,
              FlinkProcessCluster.Leases.SHORT,
              jobManagerOverrides(push));
      flink.withPlugins(List.of(PluginJars.Plugin.EVENT_PUSH, PluginJars.Plugin.FAILURE_LABELS));
      Cluster cluster = null;
      try {
        cluster =
            new Cluster(
                clusterId,
                kubernetes,
                flink,
                new RestClusterClient<>(
                    flink.clientConfiguration(), StandaloneClusterId.getInstance()),
                http);
        cluster.startProcesses();
        return cluster;
      } catch (Exception e) {
        String logs = flink.logTails();
        if (cluster != null) {
          cluster.close();
        } else {
          flink.close();
          kubernetes.close();
        }
        throw new IllegalStateException(e.getMessage() + "\n" + logs, e);
      }
    }

    /**
     * The JobManager caches a job's details for {@code web.refresh-interval} (3 s by default): kept
     * at 50 ms, {@code GET /jobs/:id} shows each transition's timestamp within 50 ms, before the
     * next one. {@code /jobs/overview}, which the sidecar polls, is not cached either way. Both
     * plugins are enabled as in a pod: events pushed to the shared sidecar, failures labelled.
     */
    static Configuration jobManagerOverrides(Push push) {
      Configuration overrides = new Configuration();
      overrides.set(WebOptions.REFRESH_INTERVAL, DETAILS_CACHE);
      overrides.setString("events.reporters", "supervisor");
      overrides.setString(
          "events.reporter.supervisor.factory.class",
          "dev.flinksupervisor.plugins.push.SupervisorEventReporterFactory");
      overrides.setString(
          "events.reporter.supervisor.url", "http://127.0.0.1:" + push.port() + "/push/v1/events");
      overrides.setString("events.reporter.supervisor.token-file", push.tokenFile().toString());
      overrides.setString(
          "jobmanager.failure-enrichers", "dev.flinksupervisor.plugins.failures.FailureLabels");
      return overrides;
    }

    private void startProcesses() throws Exception {
      // The first JobManager alone, timed from its start to its REST API answering for the
      // cluster: the reference of the sidecar's start to ready.
      long started = System.nanoTime();
      JobManager first = flink.startJobManager();
      jobManagers.add(first);
      Poll.until(
          "the first JobManager's REST API",
          START_TIMEOUT,
          Duration.ofMillis(10),
          () -> http.status(first.restUrl() + "/overview", null) == 200 ? Boolean.TRUE : null);
      jobManagerStartToReady = Duration.ofNanos(System.nanoTime() - started);
      startStandbyJobManager();
      flink.startTaskManager();
      Poll.until(
          "the TaskManager to register",
          START_TIMEOUT,
          Duration.ofMillis(100),
          () ->
              http.json(leaderUrl() + "/overview", null).path("slots-total").asInt() >= 2
                  ? Boolean.TRUE
                  : null);
      steadyJob = submit("steady", new Configuration());
      awaitRunningWithCheckpoint(steadyJob);
    }

    /** Starts one more JobManager and waits until its REST API answers (as a standby). */
    JobManager startStandbyJobManager() throws Exception {
      JobManager jm = flink.startJobManager();
      jobManagers.add(jm);
      Poll.until(
          "JobManager " + jm.index() + "'s REST API",
          START_TIMEOUT,
          Duration.ofMillis(50),
          () -> http.status(jm.restUrl() + "/config", null) == 200 ? Boolean.TRUE : null);
      return jm;
    }

    /**
     * Submits the example job ({@link DemoJob} with {@code args}, parallelism 1) under {@code
     * name}, with {@code jobConfiguration} (a restart strategy, for example) on top.
     */
    JobID submit(String name, Configuration jobConfiguration, String... args) throws Exception {
      ParameterTool params = ParameterTool.fromArgs(args);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      DemoJob.define(env, params);
      env.configure(jobConfiguration);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName(name);
      return client.submitJob(graph.getJobGraph()).get(60, TimeUnit.SECONDS);
    }

    /** Waits until the job runs and has completed a checkpoint: its tasks are all up. */
    void awaitRunningWithCheckpoint(JobID job) throws Exception {
      Poll.until(
          "job " + job + " to run and complete a checkpoint",
          START_TIMEOUT,
          Duration.ofMillis(100),
          () -> {
            String url = leaderUrl() + "/jobs/" + job;
            return "RUNNING".equals(http.json(url, null).path("state").asText())
                    && http.json(url + "/checkpoints", null).at("/counts/completed").asInt() > 0
                ? Boolean.TRUE
                : null;
          });
    }

    /** The REST URL the leader announced in the HA ConfigMap (empty while there is none). */
    Optional<String> announcedLeader() {
      ConfigMap map =
          kubeClient
              .configMaps()
              .inNamespace(kubernetes.namespace())
              .withName(haConfigMapName())
              .get();
      if (map == null || map.getData() == null) {
        return Optional.empty();
      }
      return parseLeader(map.getData().get(REST_LEADER_KEY));
    }

    /** The address in a leader entry {@code <session-id>,<address>}. */
    static Optional<String> parseLeader(String entry) {
      if (entry == null || entry.indexOf(',') < 0) {
        return Optional.empty();
      }
      String address = entry.substring(entry.indexOf(',') + 1);
      return address.isEmpty() ? Optional.empty() : Optional.of(address);
    }

    String leaderUrl() {
      return announcedLeader()
          .orElseThrow(() -> new IllegalStateException("No REST leader is announced"));
    }

    JobManager jobManagerAt(String restUrl) {
      return jobManagers.stream()
          .filter(jm -> jm.restUrl().equals(restUrl))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("No JobManager serves " + restUrl));
    }

    String haConfigMapName() {
      return clusterId + "-cluster-config-map";
    }

    SidecarProcess.Target sidecarTarget() {
      return new SidecarProcess.Target(
          clusterId, kubernetes.namespace(), kubernetes.kubeconfig(), flink.haStorageDir());
    }

    Configuration clientConfiguration() {
      return flink.clientConfiguration();
    }

    String clusterId() {
      return clusterId;
    }

    EmbeddedKubernetes kubernetes() {
      return kubernetes;
    }

    KubernetesClient kubeClient() {
      return kubeClient;
    }

    FlinkProcessCluster flink() {
      return flink;
    }

    RestClusterClient<StandaloneClusterId> client() {
      return client;
    }

    Duration jobManagerStartToReady() {
      return jobManagerStartToReady;
    }

    JobID steadyJob() {
      return steadyJob;
    }

    @Override
    public void close() {
      client.close();
      flink.close();
      kubeClient.close();
      kubernetes.close();
    }
  }
}
