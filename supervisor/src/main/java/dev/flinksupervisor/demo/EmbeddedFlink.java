package dev.flinksupervisor.demo;

import dev.flinksupervisor.demo.job.DemoJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ParameterTool;

/**
 * A Flink MiniCluster with Kubernetes HA on a given Kubernetes API: its leader, REST endpoint and
 * checkpoints are published in the HA ConfigMaps as a JobManager in a pod would publish them.
 */
public final class EmbeddedFlink implements AutoCloseable {
  private final MiniCluster miniCluster;
  private final Configuration configuration;

  private EmbeddedFlink(MiniCluster miniCluster, Configuration configuration) {
    this.miniCluster = miniCluster;
    this.configuration = configuration;
  }

  /**
   * The Flink configuration of a cluster with Kubernetes HA on the API that {@code kubeconfig}
   * names.
   */
  public static Configuration haConfiguration(
      String clusterId, String namespace, Path kubeconfig, Path workDir) {
    Configuration conf = new Configuration();
    conf.set(HighAvailabilityOptions.HA_MODE, "kubernetes");
    conf.set(HighAvailabilityOptions.HA_STORAGE_PATH, workDir.resolve("ha").toUri().toString());
    conf.set(KubernetesConfigOptions.CLUSTER_ID, clusterId);
    conf.set(KubernetesConfigOptions.NAMESPACE, namespace);
    conf.set(KubernetesConfigOptions.KUBE_CONFIG_FILE, kubeconfig.toString());
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        workDir.resolve("checkpoints").toUri().toString());
    conf.set(
        CheckpointingOptions.SAVEPOINT_DIRECTORY, workDir.resolve("savepoints").toUri().toString());
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    // Job metrics (restarts, the example job's counters) reach the REST API within a second.
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    // On two busy cores, storing a submitted job in the HA ConfigMaps can outlast the default 10 s.
    conf.set(
        org.apache.flink.configuration.RpcOptions.ASK_TIMEOUT_DURATION, Duration.ofSeconds(60));
    return conf;
  }

  public static EmbeddedFlink start(Configuration configuration, int slots) throws Exception {
    configuration.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    MiniCluster miniCluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    miniCluster.start();
    return new EmbeddedFlink(miniCluster, configuration);
  }

  /** Submits the example job with the given arguments (see {@link DemoJob}). */
  public JobID submitDemoJob(String... args) throws Exception {
    return restoreDemoJob(null, args);
  }

  /** Submits the example job restored from {@code savepoint} (none when null). */
  public JobID restoreDemoJob(String savepoint, String... args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DemoJob.define(env, params);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(params.get("name", DemoJob.DEFAULT_NAME));
    if (savepoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
    }
    return miniCluster.submitJob(graph.getJobGraph()).get().getJobID();
  }

  /** Waits until the job reaches {@code status}; fails after {@code timeout}. */
  public void awaitStatus(JobID jobId, JobStatus status, Duration timeout) throws Exception {
    Await.until(
        "job " + jobId + " to be " + status,
        timeout,
        () -> miniCluster.getJobStatus(jobId).join() == status ? Boolean.TRUE : null);
  }

  /**
   * Cancels the job and waits until Flink has removed it from its HA ConfigMap: closing a
   * MiniCluster while that cleanup is still running can hang.
   */
  public void cancelAndAwaitCleanup(JobID jobId, KubernetesApi kubernetes, Duration timeout)
      throws Exception {
    miniCluster.cancelJob(jobId).get();
    awaitStatus(jobId, JobStatus.CANCELED, timeout);
    String configMap =
        configuration.get(KubernetesConfigOptions.CLUSTER_ID) + "-cluster-config-map";
    String key = "executionPlan-" + jobId;
    try (KubernetesClient client = kubernetes.client()) {
      Await.until(
          key + " to leave " + configMap,
          timeout,
          () -> {
            ConfigMap map =
                client.configMaps().inNamespace(kubernetes.namespace()).withName(configMap).get();
            return map == null || map.getData() == null || !map.getData().containsKey(key)
                ? Boolean.TRUE
                : null;
          });
    }
  }

  /**
   * Cancels every job that still runs (the demo's, and those submitted through the sidecar), waits
   * until each has ended, and until Flink has removed every job from its HA ConfigMap: closing a
   * MiniCluster before that can hang.
   */
  public void cancelAllAndAwaitCleanup(KubernetesApi kubernetes, Duration timeout)
      throws Exception {
    for (var job : miniCluster.listJobs().get()) {
      if (!job.getJobState().isGloballyTerminalState()) {
        try {
          miniCluster.cancelJob(job.getJobId()).get();
        } catch (Exception e) {
          // it ended meanwhile
        }
      }
    }
    for (var job : miniCluster.listJobs().get()) {
      Await.until(
          "job " + job.getJobId() + " to end",
          timeout,
          () ->
              miniCluster.getJobStatus(job.getJobId()).join().isGloballyTerminalState()
                  ? Boolean.TRUE
                  : null);
    }
    String configMap =
        configuration.get(KubernetesConfigOptions.CLUSTER_ID) + "-cluster-config-map";
    try (KubernetesClient client = kubernetes.client()) {
      Await.until(
          "every job to leave " + configMap,
          timeout,
          () -> {
            ConfigMap map =
                client.configMaps().inNamespace(kubernetes.namespace()).withName(configMap).get();
            return map == null
                    || map.getData() == null
                    || map.getData().keySet().stream()
                        .noneMatch(k -> k.startsWith("executionPlan-"))
                ? Boolean.TRUE
                : null;
          });
    }
  }

  public MiniCluster miniCluster() {
    return miniCluster;
  }

  public Configuration configuration() {
    return configuration;
  }

  @Override
  public void close() throws Exception {
    miniCluster.close();
  }
}
