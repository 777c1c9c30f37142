package dev.flinksupervisor.flink;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.apache.flink.kubernetes.highavailability.KubernetesStateHandleStore;
import org.apache.flink.kubernetes.kubeclient.FlinkKubeClient;
import org.apache.flink.kubernetes.kubeclient.FlinkKubeClientFactory;
import org.apache.flink.runtime.checkpoint.CompletedCheckpoint;
import org.apache.flink.runtime.highavailability.HighAvailabilityServicesUtils;
import org.apache.flink.runtime.persistence.RetrievableStateStorageHelper;
import org.apache.flink.runtime.persistence.filesystem.FileSystemStateStorageHelper;
import org.apache.flink.runtime.state.RetrievableStateHandle;

/**
 * Reads a job's retained checkpoints from Flink's Kubernetes HA data with Flink's own classes: the
 * {@code <cluster-id>-<job-id>-config-map} holds one {@code checkpointID-…} key per retained
 * checkpoint, whose value points to the serialized checkpoint metadata in the HA storage directory.
 * Reading takes no lock and writes nothing, and gives up after the configured timeout (it runs on a
 * thread of its own, so a hung call to the Kubernetes API or the HA storage never holds the
 * caller).
 */
public final class KubernetesHaRetainedCheckpoints implements RetainedCheckpoints, AutoCloseable {
  private static final String CHECKPOINT_KEY_PREFIX = "checkpointID-";
  private static final String CHECKPOINT_FILE_PREFIX = "completedCheckpoint";

  private final FlinkKubeClient kubeClient;
  private final RetrievableStateStorageHelper<CompletedCheckpoint> storage;
  private final String clusterId;
  private final java.time.Duration timeout;
  private final java.util.concurrent.ExecutorService reader =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          new org.apache.flink.util.concurrent.ExecutorThreadFactory("ha-checkpoint-reader"));

  public KubernetesHaRetainedCheckpoints(
      Configuration flinkConfiguration, java.time.Duration timeout) throws Exception {
    this.clusterId = flinkConfiguration.get(KubernetesConfigOptions.CLUSTER_ID);
    this.timeout = timeout;
    this.kubeClient =
        FlinkKubeClientFactory.getInstance()
            .fromConfiguration(flinkConfiguration, "supervisor-checkpoints");
    this.storage =
        new FileSystemStateStorageHelper<>(
            HighAvailabilityServicesUtils.getClusterHighAvailableStoragePath(flinkConfiguration),
            CHECKPOINT_FILE_PREFIX);
  }

  @Override
  public Optional<CheckpointInfo> latest(String jobId) throws Exception {
    return dev.flinksupervisor.util.BoundedCall.call(
        reader, () -> read(jobId), timeout, "Reading the retained checkpoints of job " + jobId);
  }

  private Optional<CheckpointInfo> read(String jobId) throws Exception {
    KubernetesStateHandleStore<CompletedCheckpoint> store =
        new KubernetesStateHandleStore<>(
            kubeClient,
            clusterId + "-" + jobId + "-config-map",
            storage,
            key -> key.startsWith(CHECKPOINT_KEY_PREFIX),
            null);
    List<Tuple2<RetrievableStateHandle<CompletedCheckpoint>, String>> handles =
        store.getAllAndLock();
    // Keys are checkpointID-%019d: the greatest name is the newest checkpoint.
    Optional<Tuple2<RetrievableStateHandle<CompletedCheckpoint>, String>> newest =
        handles.stream().max(Comparator.comparing(handle -> handle.f1));
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    CompletedCheckpoint checkpoint = newest.get().f0.retrieveState();
    return Optional.of(
        new CheckpointInfo(
            checkpoint.getCheckpointID(),
            checkpoint.getCompletionTimestamp(),
            checkpoint.getProperties().isSavepoint(),
            checkpoint.getExternalPointer()));
  }

  @Override
  public void close() {
    reader.shutdownNow();
    kubeClient.close();
  }
}
