package dev.flinksupervisor.plugins.push;

import java.util.Map;
import org.apache.flink.events.Event;

/** Events built the way the JobManager builds them, with the job metric group's variables. */
final class TestEvents {

  static final Map<String, String> JOB_VARIABLES =
      Map.of("<job_id>", "3f1c0a", "<job_name>", "orders", "<host>", "jm-0");

  private TestEvents() {}

  static Event jobStatus(String status) {
    return Event.builder(TestEvents.class, "JobStatusChangeEvent")
        .setObservedTsMillis(1_733_100_000_100L)
        .setSeverity("INFO")
        .setAttribute("newJobStatus", status)
        .build(JOB_VARIABLES);
  }

  static Event jobFailure(String category) {
    return Event.builder(TestEvents.class, "JobFailureEvent")
        .setObservedTsMillis(1_733_100_000_200L)
        .setAttribute("canRestart", "true")
        .setAttribute("isGlobalFailure", "false")
        .setAttribute("failureLabel.category", category)
        .build(JOB_VARIABLES);
  }

  static Event savepoint(long checkpointId) {
    return Event.builder(TestEvents.class, "CheckpointEvent")
        .setObservedTsMillis(1_733_100_000_300L)
        .setAttribute("checkpointId", checkpointId)
        .setAttribute("fullSize", 4096L)
        .setAttribute("checkpointStatus", "COMPLETED")
        .setAttribute("isUnaligned", "false")
        .setAttribute("checkpointType", "Savepoint")
        .build(JOB_VARIABLES);
  }

  static Event allSubtasks() {
    return Event.builder(TestEvents.class, "AllSubtasksStatusChangeEvent")
        .setAttribute("status", "ALL_RUNNING_OR_FINISHED")
        .build(JOB_VARIABLES);
  }
}
