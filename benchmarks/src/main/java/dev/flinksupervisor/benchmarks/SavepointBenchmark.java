package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * A savepoint of the same running job, alternately through the sidecar ({@code POST
 * /api/v1/jobs/{id}/savepoints}, then its record polled every 10 ms until COMPLETED) and directly
 * with Flink's own client ({@code RestClusterClient.triggerSavepoint}, awaited); each timed from
 * the request to the client knowing the savepoint is complete.
 */
final class SavepointBenchmark implements Benchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final java.util.Set<String> ENDED =
      java.util.Set.of("COMPLETED", "FAILED", "ABANDONED");

  private final Lab lab;

  SavepointBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "savepoint";
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    int rounds = mode.pick(3, 10);
    Lab.Cluster cluster = lab.cluster();
    SidecarProcess sidecar = lab.sidecar();
    JobID job = cluster.steadyJob();
    List<Double> viaSidecar = new ArrayList<>();
    List<Double> direct = new ArrayList<>();
    List<Double> writes = new ArrayList<>();
    recordWrite(cluster); // the probe's create: every timed write is then an update
    for (int i = 0; i < rounds; i++) {
      // Alternate which goes first, so that neither always follows the other.
      if (i % 2 == 0) {
        direct.add(direct(cluster, job));
        viaSidecar.add(viaSidecar(sidecar, job));
      } else {
        viaSidecar.add(viaSidecar(sidecar, job));
        direct.add(direct(cluster, job));
      }
      writes.add(recordWrite(cluster));
      System.out.printf(
          "  round %d: sidecar %s ms, direct %s ms, one record write %s ms%n",
          i + 1,
          Numbers.format(viaSidecar.get(i)),
          Numbers.format(direct.get(i)),
          Numbers.format(writes.get(i)));
    }
    Percentiles s = Percentiles.of(viaSidecar);
    Percentiles d = Percentiles.of(direct);
    Percentiles w = Percentiles.of(writes);
    double overhead = s.median() - d.median();
    return List.of(
        Figure.of(
            "savepoint overhead through the sidecar beyond one record write, median",
            overhead - w.median(),
            "ms",
            null,
            null,
            Target.valueAtMost(5, "ms"),
            "The median through the sidecar ("
                + Numbers.format(s.median())
                + " ms) less the median direct ("
                + Numbers.format(d.median())
                + " ms), less the median of one write of the sidecar's record to the Kubernetes"
                + " API in the same rounds ("
                + Numbers.format(w.median())
                + " ms: a conditional PUT of a ConfigMap holding the same data as the sidecar's"
                + " record, from the benchmark's fabric8 client). Samples of the write (ms): "
                + StartToReadyBenchmark.samples(writes)
                + "."),
        Figure.of(
            "savepoint through the sidecar, median",
            s.median(),
            "ms",
            "RestClusterClient.triggerSavepoint awaited, median",
            d.median(),
            Target.ratioAtMost(1.1),
            rounds
                + " rounds on the same job (1 job, canonical format, the cluster's savepoint"
                + " directory), alternating; the sidecar with default settings, hearing the"
                + " JobManager's push plugin (a pushed savepoint completion wakes its tracker)."
                + " Samples (ms): sidecar "
                + StartToReadyBenchmark.samples(viaSidecar)
                + "; direct "
                + StartToReadyBenchmark.samples(direct)
                + "."));
  }

  /**
   * One write of a record as large as the sidecar's: its ConfigMap's data, copied into a ConfigMap
   * of the benchmark's own and replaced with the {@code resourceVersion} last read, as the sidecar
   * writes.
   */
  private static double recordWrite(Lab.Cluster cluster) {
    var maps = cluster.kubeClient().configMaps().inNamespace(cluster.kubernetes().namespace());
    var record = maps.withName(cluster.clusterId() + "-supervisor").get();
    String probe = cluster.clusterId() + "-write-probe";
    var current = maps.withName(probe).get();
    var next =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName(probe)
            .withResourceVersion(
                current == null ? null : current.getMetadata().getResourceVersion())
            .endMetadata()
            .withData(record == null ? java.util.Map.of() : record.getData())
            .build();
    long start = System.nanoTime();
    if (current == null) {
      maps.resource(next).create();
    } else {
      maps.resource(next).update();
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static double direct(Lab.Cluster cluster, JobID job) throws Exception {
    long start = System.nanoTime();
    cluster
        .client()
        .triggerSavepoint(job, null, SavepointFormatType.CANONICAL)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return (System.nanoTime() - start) / 1e6;
  }

  private double viaSidecar(SidecarProcess sidecar, JobID job) throws Exception {
    Http http = lab.http();
    String savepoints = sidecar.url() + "/api/v1/jobs/" + job.toHexString() + "/savepoints";
    long start = System.nanoTime();
    HttpResponse<String> accepted = http.post(savepoints, SidecarProcess.TOKEN);
    if (accepted.statusCode() != 202) {
      throw new IllegalStateException(
          "POST " + savepoints + " answered " + accepted.statusCode() + ": " + accepted.body());
    }
    String id = Http.JSON.readTree(accepted.body()).get("id").asText();
    JsonNode ended =
        Poll.until(
            "savepoint " + id + " to end",
            TIMEOUT,
            Duration.ofMillis(10),
            () -> {
              JsonNode record = http.json(savepoints + "/" + id, SidecarProcess.TOKEN);
              return ENDED.contains(record.path("state").asText()) ? record : null;
            });
    double millis = (System.nanoTime() - start) / 1e6;
    if (!ended.path("state").asText().equals("COMPLETED")) {
      throw new IllegalStateException("Savepoint " + id + " did not complete: " + ended);
    }
    return millis;
  }
}
