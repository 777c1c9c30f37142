package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;

/**
 * Leader failover: the leading JobManager process is killed with SIGKILL and the standby takes
 * over. Timed from the new leader appearing in the HA ConfigMap (its REST address under {@code
 * org.apache.flink.k8s.leader.restserver}, as a fabric8 watch of this client receives the change)
 * to the sidecar's first successful call to the new leader: the {@code freshness.observedAt} of
 * {@code GET /api/v1/cluster}, the time its poll of {@code /jobs/overview} returned, once the
 * sidecar names the new leader. The reference is Flink's own {@code RestClusterClient}, which
 * follows the same ConfigMap, polling {@code /jobs/overview} every 10 ms: its first success after
 * the change.
 */
final class FailoverBenchmark implements Benchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** A new leader cannot take over sooner than this after a kill (the lease lasts 6 s). */
  private static final long NOT_BEFORE_MILLIS = 1_000;

  private final Lab lab;

  FailoverBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "failover";
  }

  /** A change of the announced REST leader as the watch received it. */
  record Announcement(long arrivedAtMillis, Optional<String> leader) {}

  /** One failover, in epoch milliseconds. */
  record Failover(
      long announcedAt, long sidecarFirstSuccess, long sidecarLearnt, long referenceFirstSuccess) {}

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    int failovers = mode.pick(1, 3);
    Lab.Cluster cluster = lab.cluster();
    SidecarProcess sidecar = lab.sidecar();
    List<Announcement> announcements = new CopyOnWriteArrayList<>();
    Watch watch =
        cluster
            .kubeClient()
            .configMaps()
            .inNamespace(cluster.kubernetes().namespace())
            .withName(cluster.haConfigMapName())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap map) {
                    long now = System.currentTimeMillis();
                    String entry =
                        map.getData() == null ? null : map.getData().get(Lab.REST_LEADER_KEY);
                    announcements.add(new Announcement(now, Lab.Cluster.parseLeader(entry)));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    Configuration referenceConfig = cluster.clientConfiguration();
    referenceConfig.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
    referenceConfig.set(RestOptions.AWAIT_LEADER_TIMEOUT, Duration.ofSeconds(1));
    List<Failover> measured = new ArrayList<>();
    try (watch;
        RestClusterClient<StandaloneClusterId> reference =
            new RestClusterClient<>(referenceConfig, StandaloneClusterId.getInstance())) {
      for (int i = 0; i < failovers; i++) {
        if (i > 0) {
          cluster.startStandbyJobManager();
        }
        Failover f = failover(cluster, sidecar, reference, announcements);
        measured.add(f);
        System.out.printf(
            "  failover %d: sidecar %d ms, Flink's client %d ms after the ConfigMap%n",
            i + 1,
            f.sidecarFirstSuccess() - f.announcedAt(),
            f.referenceFirstSuccess() - f.announcedAt());
        cluster.awaitRunningWithCheckpoint(cluster.steadyJob());
      }
    }
    List<Double> sidecarMillis =
        measured.stream().map(f -> (double) (f.sidecarFirstSuccess() - f.announcedAt())).toList();
    List<Double> referenceMillis =
        measured.stream().map(f -> (double) (f.referenceFirstSuccess() - f.announcedAt())).toList();
    List<Double> learntMillis =
        measured.stream().map(f -> (double) (f.sidecarLearnt() - f.announcedAt())).toList();
    Percentiles s = Percentiles.of(sidecarMillis);
    Percentiles r = Percentiles.of(referenceMillis);
    String how =
        failovers
            + " failover(s): SIGKILL of the leading JobManager process, 6 s leases; from the"
            + " arrival of the HA ConfigMap change naming the new REST leader at this client's"
            + " watch to freshness.observedAt of the sidecar's GET /api/v1/cluster (when its poll"
            + " of the new leader's /jobs/overview returned); same machine, same clock. Sidecar"
            + " samples (ms): "
            + StartToReadyBenchmark.samples(sidecarMillis)
            + "; Flink's client: "
            + StartToReadyBenchmark.samples(referenceMillis)
            + ".";
    String reference = "Flink RestClusterClient polling every 10 ms";
    return List.of(
        Figure.of(
            "leader failover: ConfigMap → sidecar's first call, slowest",
            s.max(),
            "ms",
            reference + ", slowest",
            r.max(),
            Target.valueAtMost(1000, "ms"),
            how),
        Figure.of(
            "leader failover: ConfigMap → sidecar's first call, median",
            s.median(),
            "ms",
            reference + ", median",
            r.median(),
            null,
            how),
        Figure.of(
            "leader failover: ConfigMap → sidecar names the new leader, median",
            Percentiles.of(learntMillis).median(),
            "ms",
            null,
            null,
            null,
            "leader.since of GET /api/v1/cluster (when the sidecar's HA leader retrieval reported"
                + " the new leader) minus the ConfigMap change's arrival at this client: how much"
                + " of the failover time is the watch, and how much the next poll."));
  }

  private Failover failover(
      Lab.Cluster cluster,
      SidecarProcess sidecar,
      RestClusterClient<StandaloneClusterId> reference,
      List<Announcement> announcements)
      throws Exception {
    String oldLeader = cluster.leaderUrl();
    JobManager killed = cluster.jobManagerAt(oldLeader);
    List<Long> referenceSuccesses = new CopyOnWriteArrayList<>();
    long killedAt = System.currentTimeMillis();
    Thread polling =
        new Thread(
            () -> pollReference(reference, referenceSuccesses, killedAt), "reference-poller");
    polling.setDaemon(true);
    polling.start();
    try {
      cluster.flink().kill(killed);
      Announcement announced =
          Poll.until(
              "a new REST leader in the HA ConfigMap",
              TIMEOUT,
              Duration.ofMillis(5),
              () ->
                  announcements.stream()
                      .filter(a -> a.arrivedAtMillis() >= killedAt)
                      .filter(a -> a.leader().isPresent() && !a.leader().get().equals(oldLeader))
                      .findFirst()
                      .orElse(null));
      String newLeader = announced.leader().orElseThrow();
      long notBefore = killedAt + NOT_BEFORE_MILLIS;
      JsonNode seen =
          Poll.until(
              "the sidecar to call the new leader " + newLeader,
              TIMEOUT,
              Duration.ofMillis(5),
              () -> {
                JsonNode c =
                    lab.http().json(sidecar.url() + "/api/v1/cluster", SidecarProcess.TOKEN);
                String observed = c.at("/freshness/observedAt").asText(null);
                return newLeader.equals(c.at("/leader/restUrl").asText())
                        && observed != null
                        && Instant.parse(observed).toEpochMilli() > notBefore
                    ? c
                    : null;
              });
      long referenceSuccess =
          Poll.until(
              "Flink's client to call the new leader",
              TIMEOUT,
              Duration.ofMillis(5),
              () ->
                  referenceSuccesses.stream().filter(t -> t > notBefore).findFirst().orElse(null));
      return new Failover(
          announced.arrivedAtMillis(),
          Instant.parse(seen.at("/freshness/observedAt").asText()).toEpochMilli(),
          Instant.parse(seen.at("/leader/since").asText()).toEpochMilli(),
          referenceSuccess);
    } finally {
      polling.interrupt();
      polling.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** Flink's client asking for the job list every 10 ms; notes the time of each answer. */
  private static void pollReference(
      RestClusterClient<StandaloneClusterId> client, List<Long> successes, long since) {
    long next = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        client
            .sendRequest(
                JobsOverviewHeaders.getInstance(),
                EmptyMessageParameters.getInstance(),
                EmptyRequestBody.getInstance())
            .get(2, TimeUnit.SECONDS);
        long now = System.currentTimeMillis();
        if (now >= since) {
          successes.add(now);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the leader is gone or not yet known: try again
      }
      // Every 10 ms, without catching up on time a slow answer took.
      next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(10), System.nanoTime());
      try {
        Poll.parkUntil(next);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
