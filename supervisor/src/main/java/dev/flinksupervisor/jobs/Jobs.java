package dev.flinksupervisor.jobs;

import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.FlinkJobs;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.store.Recorder;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.util.JobLanes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.apache.flink.api.common.JobID;

/**
 * The jobs feature: submission ({@link JobService}), {@link Recovery} and re-profiling, and the
 * threads their calls to Flink run on (building a job graph runs the user's main method, so these
 * are kept apart from the savepoints' threads).
 */
public final class Jobs implements AutoCloseable {
  private final JobLanes lanes;
  private final JarFiles jars;
  private final JobService service;
  private final Reprofiler reprofiler;
  private final Recovery recovery;

  public Jobs(
      SupervisorConfig config,
      FlinkJobs flink,
      OwnedJobs owned,
      Reprofiles reprofiles,
      SavepointBook book,
      SavepointService savepoints,
      ClusterState state,
      EventLog events,
      Clock clock,
      Recorder recorder,
      dev.flinksupervisor.flink.CheckpointFiles checkpointFiles) {
    this.lanes = new JobLanes("jobs", config.get(SupervisorOptions.ACTION_THREADS));
    this.jars =
        new JarFiles(
            Path.of(config.get(SupervisorOptions.JAR_DIRECTORY)),
            Path.of(config.get(SupervisorOptions.UPLOAD_DIRECTORY)));
    this.service =
        new JobService(
            flink,
            owned,
            book,
            state,
            events,
            clock,
            jars,
            () -> new JobID().toHexString(),
            recorder,
            config.slotProfiles(),
            reprofiles,
            lanes,
            config.get(SupervisorOptions.LEDGER_FINISHED_RETENTION));
    this.recovery =
        new Recovery(
            service,
            owned,
            book,
            state,
            events,
            clock,
            () -> new JobID().toHexString(),
            recorder,
            reprofiles,
            lanes,
            config.get(SupervisorOptions.RECOVERY_RESET_AFTER),
            config.get(SupervisorOptions.RECOVERY_CHECKPOINT_SETTLE),
            checkpointFiles);
    this.reprofiler =
        new Reprofiler(
            service,
            savepoints,
            book,
            reprofiles,
            state,
            events,
            clock,
            () -> UUID.randomUUID().toString(),
            () -> new JobID().toHexString(),
            recorder,
            config.get(SupervisorOptions.ROLLBACK_RETRY_BACKOFF),
            lanes);
  }

  public JobService service() {
    return service;
  }

  public Reprofiler reprofiler() {
    return reprofiler;
  }

  public Recovery recovery() {
    return recovery;
  }

  public JarFiles jars() {
    return jars;
  }

  @Override
  public void close() throws InterruptedException {
    lanes.close();
  }
}
