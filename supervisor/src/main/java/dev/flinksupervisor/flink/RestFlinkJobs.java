package dev.flinksupervisor.flink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;

/**
 * {@link FlinkJobs} with Flink's client: {@link PackagedProgram} runs the jar's main method to
 * build the job graph, and {@link RestClusterClient} uploads the jar and submits it.
 */
public final class RestFlinkJobs implements FlinkJobs {
  private final RestClusterClient<StandaloneClusterId> client;
  private final Configuration flinkConfiguration;
  private final Duration timeout;
  private final Executor executor;

  public RestFlinkJobs(
      RestClusterClient<StandaloneClusterId> client,
      Configuration flinkConfiguration,
      Duration timeout,
      Executor executor) {
    this.client = client;
    this.flinkConfiguration = flinkConfiguration;
    this.timeout = timeout;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Void> submit(Submission s) {
    return CompletableFuture.supplyAsync(() -> jobGraph(s), executor)
        .thenCompose(client::submitJob)
        .thenApply(id -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private JobGraph jobGraph(Submission s) {
    SavepointRestoreSettings restore =
        s.restorePath() == null
            ? SavepointRestoreSettings.none()
            : SavepointRestoreSettings.forPath(s.restorePath(), s.allowNonRestoredState());
    try (PackagedProgram program =
        PackagedProgram.newBuilder()
            .setJarFile(s.jar().toFile())
            .setEntryPointClassName(s.entryClass())
            .setArguments(s.args().toArray(String[]::new))
            .setConfiguration(flinkConfiguration)
            .setSavepointRestoreSettings(restore)
            .build()) {
      int parallelism =
          s.parallelism() != null
              ? s.parallelism()
              : flinkConfiguration.get(CoreOptions.DEFAULT_PARALLELISM);
      return PackagedProgramUtils.createJobGraph(
          program, flinkConfiguration, parallelism, JobID.fromHexString(s.jobId()), false);
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
