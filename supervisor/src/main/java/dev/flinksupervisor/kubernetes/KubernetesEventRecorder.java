package dev.flinksupervisor.kubernetes;

import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventSubscription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.EventBuilder;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what matters of the sidecar's events as Kubernetes Events on its pod, so that {@code
 * kubectl describe pod} and {@code kubectl get events} tell the story without the admin API. On a
 * thread of its own, fed by a subscription to the event log (a slow API server never holds the
 * sidecar). Identical events (same reason and message) are aggregated into one Event whose {@code
 * count} and {@code lastTimestamp} grow, as Kubernetes does; a token bucket limits how many are
 * written ({@link KubernetesEventPolicy}); what it holds back is counted in the log.
 */
public final class KubernetesEventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);
  private static final String COMPONENT = "flink-supervisor";

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final Supplier<Optional<String>> podUid;
  private final EventLog events;
  private final KubernetesEventPolicy policy;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long heldBack;

  public KubernetesEventRecorder(
      KubernetesClient client,
      String namespace,
      String pod,
      Supplier<Optional<String>> podUid,
      EventLog events,
      KubernetesEventPolicy policy,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.podUid = podUid;
    this.events = events;
    this.policy = policy;
    this.clock = clock;
    this.thread = new Thread(this::run, "kubernetes-events");
    thread.setDaemon(true);
  }

  public KubernetesEventRecorder start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try (EventSubscription subscription = events.subscribe(null, null, 1000, Integer.MAX_VALUE)) {
        while (running && !subscription.closed()) {
          Optional<Event> next = subscription.next(Duration.ofSeconds(1));
          next.flatMap(KubernetesEventPolicy::noteOf).ifPresent(this::write);
        }
        subscription
            .dropped()
            .ifPresent(why -> LOG.warn("Kubernetes Events fell behind the event log: {}", why));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("Writing Kubernetes Events failed: {}", e.toString());
      }
    }
  }

  private void write(KubernetesEventPolicy.Note note) {
    if (!policy.mayWrite()) {
      heldBack++;
      if (heldBack == 1 || heldBack % 100 == 0) {
        LOG.warn(
            "{} Kubernetes Event(s) held back by the rate limit (the admin API has them all)",
            heldBack);
      }
      return;
    }
    String name = pod + "." + hash(note.reason() + "\n" + note.message());
    String now = clock.instant().toString();
    try {
      var existing = client.v1().events().inNamespace(namespace).withName(name).get();
      if (existing != null) {
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        client.v1().events().inNamespace(namespace).resource(existing).update();
        return;
      }
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withName(pod)
                  .withNamespace(namespace)
                  .withUid(podUid.get().orElse(null))
                  .endInvolvedObject()
                  .withReason(note.reason())
                  .withType(note.type())
                  .withMessage(note.message())
                  .withCount(1)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withReportingInstance(pod)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("Writing the Kubernetes Event {} failed: {}", note.reason(), e.getMessage());
    }
  }

  /** How many events the rate limit held back so far. */
  long heldBack() {
    return heldBack;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(Duration.ofSeconds(5).toMillis());
  }
}
