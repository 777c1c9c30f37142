package dev.flinksupervisor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.store.KubernetesClients;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.KubernetesRequests;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes Events written through the API server with the sidecar's own client and account: about
 * its pod, a repeat aggregated into the count, and no more than the rate limit allows.
 */
class KubernetesEventRecorderITCase {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private final String podName =
      "example-jm-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;
  private KubernetesApi kubernetes;
  private org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient sidecars;
  private KubernetesEventRecorder recorder;

  @AfterEach
  void stop() throws Exception {
    if (recorder != null) {
      recorder.close();
    }
    if (sidecars != null) {
      sidecars.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  private List<Event> eventsOnThePod(KubernetesClient client) {
    return client.v1().events().inNamespace(kubernetes.namespace()).list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void events_land_on_the_pod_aggregated_and_rate_limited() throws Exception {
    kubernetes = TestKubernetes.start(dir.resolve("k8s"));
    sidecars =
        KubernetesClients.create(
            Optional.of(
                kubernetes.kubeconfigFor(KubernetesRequests.sidecarToken("example")).toString()),
            kubernetes.namespace(),
            Duration.ofSeconds(10));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    EventLog log = new EventLog(clock, 1000);
    recorder =
        new KubernetesEventRecorder(
                sidecars,
                kubernetes.namespace(),
                podName,
                () -> Optional.of("uid-of-the-pod"),
                log,
                new KubernetesEventPolicy(clock, 5, Duration.ofMinutes(1)),
                clock)
            .start();

    try (KubernetesClient client = kubernetes.client()) {
      log.record(EventTypes.SAVEPOINT_FAILED, Severity.ERROR, "j1", "disk full");
      log.record(EventTypes.ADMIN_ACTION, Severity.INFO, null, "not for kubectl describe");
      Event failed =
          Await.until(
              "the first Kubernetes Event",
              PATIENCE,
              () -> eventsOnThePod(client).stream().findFirst().orElse(null));
      assertThat(failed.getReason()).isEqualTo("SavepointFailed");
      assertThat(failed.getType()).isEqualTo("Warning");
      assertThat(failed.getMessage()).isEqualTo("job j1: disk full");
      assertThat(failed.getInvolvedObject().getKind()).isEqualTo("Pod");
      assertThat(failed.getInvolvedObject().getUid()).isEqualTo("uid-of-the-pod");
      assertThat(failed.getSource().getComponent()).isEqualTo("flink-supervisor");

      // The same again (folded in the log, so handed on as a repeat): one Event, counted twice.
      log.record(EventTypes.SAVEPOINT_FAILED, Severity.ERROR, "j1", "disk full");
      Await.until(
          "the repeat counted",
          PATIENCE,
          () ->
              eventsOnThePod(client).stream()
                      .anyMatch(e -> e.getCount() != null && e.getCount() == 2)
                  ? Boolean.TRUE
                  : null);
      assertThat(eventsOnThePod(client)).hasSize(1);

      // Ten more distinct ones: the burst of 5 was two writes in; three more go through.
      for (int i = 0; i < 10; i++) {
        log.record(EventTypes.JOBMANAGER_RESTARTED, Severity.WARNING, null, "restart " + i);
      }
      log.record(EventTypes.LEADER_CHANGED, Severity.INFO, null, "marker after the limit");
      Await.until(
          "the limit to hold back the other eight",
          PATIENCE,
          () -> recorder.heldBack() == 8 ? Boolean.TRUE : null);
      assertThat(eventsOnThePod(client)).hasSize(4);
      clock.advance(Duration.ofMinutes(1));
      log.record(EventTypes.LEADER_CHANGED, Severity.INFO, null, "now http://jm-1:8081");
      Event refilled =
          Await.until(
              "one more after the refill",
              PATIENCE,
              () ->
                  eventsOnThePod(client).stream()
                      .filter(e -> e.getReason().equals("LeaderChanged"))
                      .findFirst()
                      .orElse(null));
      assertThat(refilled.getType()).isEqualTo("Normal");
      assertThat(refilled.getMessage()).isEqualTo("now http://jm-1:8081");
      assertThat(eventsOnThePod(client)).hasSize(5);
    }
  }
}
