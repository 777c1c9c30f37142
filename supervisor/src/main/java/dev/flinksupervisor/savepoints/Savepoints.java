package dev.flinksupervisor.savepoints;

import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.store.Recorder;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.util.JobLanes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.rest.messages.TriggerId;

/** The savepoints feature: its service and the threads its calls to Flink run on. */
public final class Savepoints implements AutoCloseable {
  private final JobLanes lanes;
  private final SavepointService service;

  public Savepoints(
      SupervisorConfig config,
      FlinkSavepoints flink,
      SavepointBook book,
      ClusterState state,
      EventLog events,
      Clock clock,
      Recorder recorder) {
    this.lanes = new JobLanes("savepoints", config.get(SupervisorOptions.ACTION_THREADS));
    this.service =
        new SavepointService(
            flink,
            book,
            state,
            events,
            clock,
            settings(config),
            () -> new TriggerId().toHexString(),
            recorder,
            lanes);
  }

  public SavepointService service() {
    return service;
  }

  static SavepointSettings settings(SupervisorConfig config) {
    SavepointPolicy defaults;
    try {
      defaults = defaultPolicy(config);
    } catch (IllegalArgumentException e) {
      throw new dev.flinksupervisor.config.ConfigException(
          "The savepoints.* options do not make a policy: " + e.getMessage());
    }
    return new SavepointSettings(
        defaults,
        config.get(SupervisorOptions.SAVEPOINT_TIMEOUT),
        config.get(SupervisorOptions.SAVEPOINT_MAX_ATTEMPTS),
        new Backoff(config.get(SupervisorOptions.SAVEPOINT_RETRY_BACKOFF), Duration.ofMinutes(5)),
        config.getOptional(SupervisorOptions.SAVEPOINT_TARGET_DIRECTORY).orElse(null),
        config.get(SupervisorOptions.SAVEPOINT_FORMAT));
  }

  private static SavepointPolicy defaultPolicy(SupervisorConfig config) {
    return new SavepointPolicy(
        config.getOptional(SupervisorOptions.SAVEPOINT_INTERVAL).orElse(null),
        config.getOptional(SupervisorOptions.SAVEPOINT_CRON).orElse(null),
        config.getOptional(SupervisorOptions.SAVEPOINT_BLACKOUT).map(List::of).orElse(List.of()),
        config.get(SupervisorOptions.SAVEPOINT_RETAIN_COUNT),
        config.get(SupervisorOptions.SAVEPOINT_RETAIN_AGE),
        config.get(SupervisorOptions.SAVEPOINT_ON_SHUTDOWN),
        false,
        config.get(SupervisorOptions.SAVEPOINT_JITTER),
        config.get(SupervisorOptions.SAVEPOINT_CATCH_UP),
        new SavepointPolicy.Keep(
            config.getOptional(SupervisorOptions.SAVEPOINT_KEEP_WITHIN).orElse(null),
            config.get(SupervisorOptions.SAVEPOINT_KEEP_HOURLY),
            config.get(SupervisorOptions.SAVEPOINT_KEEP_DAILY),
            config.get(SupervisorOptions.SAVEPOINT_KEEP_WEEKLY),
            config.get(SupervisorOptions.SAVEPOINT_KEEP_MONTHLY)));
  }

  @Override
  public void close() throws InterruptedException {
    lanes.close();
  }
}
