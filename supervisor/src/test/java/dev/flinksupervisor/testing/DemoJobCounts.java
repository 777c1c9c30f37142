package dev.flinksupervisor.testing;

import dev.flinksupervisor.demo.Await;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.JobVertexMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobVertexMetricsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;
import org.apache.flink.runtime.rest.messages.job.metrics.MetricsFilterParameter;

/**
 * The example job's keyed state as Flink reports it: the highest per-bucket count its counter has
 * reached. A job restored from a savepoint continues from the counts in it, not from zero.
 */
public final class DemoJobCounts {
  private DemoJobCounts() {}

  public static long highestCount(Configuration flink, JobID jobId) throws Exception {
    try (RestClusterClient<StandaloneClusterId> client =
        new RestClusterClient<>(flink, StandaloneClusterId.getInstance())) {
      JobDetailsInfo details = client.getJobDetails(jobId).get();
      var vertex =
          details.getJobVertexInfos().stream()
              .filter(v -> v.getName().contains("bucket-counter"))
              .findFirst()
              .orElseThrow();
      JobVertexMetricsMessageParameters params = new JobVertexMetricsMessageParameters();
      params.jobPathParameter.resolve(jobId);
      params.jobVertexIdPathParameter.resolve(vertex.getJobVertexID());
      params.getQueryParameters().stream()
          .filter(MetricsFilterParameter.class::isInstance)
          .map(MetricsFilterParameter.class::cast)
          .findFirst()
          .orElseThrow()
          .resolve(List.of("0.bucket-counter.highestCount"));
      return client
          .sendRequest(
              JobVertexMetricsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
          .get()
          .getMetrics()
          .stream()
          .map(Metric::getValue)
          .filter(v -> v != null)
          .mapToLong(Long::parseLong)
          .findFirst()
          .orElse(0L);
    }
  }

  /** Waits until the job's highest count passes {@code floor}; returns it. */
  public static long awaitAbove(Configuration flink, JobID jobId, long floor, Duration patience)
      throws Exception {
    return Await.until(
        "the job's highest count to pass " + floor,
        patience,
        () -> {
          try {
            long count = highestCount(flink, jobId);
            return count > floor ? count : null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
