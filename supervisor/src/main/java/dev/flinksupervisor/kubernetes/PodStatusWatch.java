package dev.flinksupervisor.kubernetes;

import dev.flinksupervisor.supervision.JobManagerContainer;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ContainerState;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.ContainerStatus;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.Pod;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one pod's status with fabric8's informer (a list and a watch of that pod by name, resumed
 * after errors by the informer) and hands each change of one of its containers on, as a {@link
 * JobManagerContainer}, and the cached pod again every {@link #RESYNC}. Nothing is polled: when
 * nothing changes, no request is made.
 */
public final class PodStatusWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodStatusWatch.class);

  private final SharedIndexInformer<Pod> informer;
  private volatile String uid;

  public PodStatusWatch(
      KubernetesClient client,
      String namespace,
      String podName,
      String containerName,
      Consumer<JobManagerContainer> changes) {
    this.informer =
        client.pods().inNamespace(namespace).withName(podName).runnableInformer(RESYNC.toMillis());
    // A failed list or watch (a Role without the pods rule, an API server away) is retried by the
    // informer and never stops the sidecar from starting.
    informer.exceptionHandler(
        (started, failure) -> {
          LOG.warn("Following pod {} failed; trying again: {}", podName, failure.toString());
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod pod) {
            hand(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            hand(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {}

          private void hand(Pod pod) {
            uid = pod.getMetadata().getUid();
            try {
              containerOf(pod, containerName).ifPresent(changes);
            } catch (RuntimeException e) {
              LOG.warn("Reading the status of pod {} failed: {}", podName, e.toString());
            }
          }
        });
    informer.start(); // not waited for
  }

  /**
   * The informer hands the cached pod on again this often, without asking the API server: a restart
   * loop that ended clears once its restarts age out of the window.
   */
  static final java.time.Duration RESYNC = java.time.Duration.ofMinutes(1);

  /** The named container of {@code pod}, as its status tells it; empty until it has a status. */
  static Optional<JobManagerContainer> containerOf(Pod pod, String containerName) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (containerName.equals(status.getName())) {
        return Optional.of(
            new JobManagerContainer(
                pod.getMetadata().getName(),
                status.getName(),
                status.getRestartCount() == null ? 0 : status.getRestartCount(),
                describe(status.getState()),
                Optional.ofNullable(status.getLastState())
                    .map(ContainerState::getTerminated)
                    .map(PodStatusWatch::termination)
                    .orElse(null)));
      }
    }
    return Optional.empty();
  }

  private static String describe(ContainerState state) {
    if (state == null) {
      return "unknown";
    }
    if (state.getRunning() != null) {
      return "running";
    }
    if (state.getWaiting() != null) {
      return "waiting: " + state.getWaiting().getReason();
    }
    if (state.getTerminated() != null) {
      return "terminated: " + state.getTerminated().getReason();
    }
    return "unknown";
  }

  private static JobManagerContainer.Termination termination(ContainerStateTerminated t) {
    Instant at;
    try {
      at = t.getFinishedAt() == null ? null : Instant.parse(t.getFinishedAt());
    } catch (RuntimeException e) {
      at = null;
    }
    return new JobManagerContainer.Termination(
        t.getReason(), t.getExitCode() == null ? -1 : t.getExitCode(), at);
  }

  /** The pod's uid, once the pod was read (Kubernetes Events name it). */
  public Optional<String> podUid() {
    return Optional.ofNullable(uid);
  }

  @Override
  public void close() {
    informer.close();
  }
}
