package dev.flinksupervisor.push;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * One batch of events the JobManager's push plugin sends: who sent it, its cumulative counts of
 * events it had to drop and batches that failed, and the events themselves.
 *
 * @param reporter the JobManager that sent it (its host name)
 * @param sent when the batch was sent, epoch milliseconds of the JobManager's clock
 * @param dropped events the plugin dropped since its JobManager started (queue full, or the sidecar
 *     did not answer)
 * @param failedBatches batches the sidecar did not accept since its JobManager started
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PushBatch(
    String reporter, long sent, long dropped, long failedBatches, List<Event> events) {

  public PushBatch {
    reporter = reporter == null || reporter.isBlank() ? "unknown" : reporter;
    events = events == null ? List.of() : List.copyOf(events);
  }

  /**
   * One event of the JobManager.
   *
   * @param name Flink's event name: {@code JobStatusChangeEvent}, {@code JobFailureEvent}, {@code
   *     CheckpointEvent}
   * @param observedAt when it happened, epoch milliseconds of the JobManager's clock
   * @param attributes Flink's attributes of the event, such as {@code newJobStatus}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Event(
      String name, long observedAt, String jobId, String jobName, Map<String, String> attributes) {
    public Event {
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public String attribute(String key) {
      return attributes.get(key);
    }
  }
}
