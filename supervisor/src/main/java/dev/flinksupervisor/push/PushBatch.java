package dev.flinksupervisor.push;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * One batch of events the JobManager's push plugin sends: who sent it, its cumulative counts of
 * events it had to drop and batches that failed, and the events themselves.
 *
 * @param reporter the JobManager that sent it (its host name)
 * @param instance the plugin's instance, new with every start of its JobManager
 * @param sent when the batch was sent, epoch milliseconds of the JobManager's clock
 * @param dropped events the plugin dropped since its JobManager started (queue full, or the sidecar
 *     did not answer)
 * @param failedBatches batches the sidecar did not accept since its JobManager started
 * @param cost what the plugin cost its JobManager so far
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PushBatch(
    String reporter,
    String instance,
    long sent,
    long dropped,
    long failedBatches,
    Cost cost,
    List<Event> events) {

  /** The longest reporter name kept (a host name's limit); it goes into events' messages. */
  static final int MAX_REPORTER = 253;

  public PushBatch {
    reporter = reporter == null || reporter.isBlank() ? "unknown" : reporter;
    reporter = reporter.length() > MAX_REPORTER ? reporter.substring(0, MAX_REPORTER) : reporter;
    instance = instance == null ? "" : instance;
    cost = cost == null ? Cost.UNKNOWN : cost;
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** The plugin's counts are cumulative per instance: one JobManager's start to its end. */
  public String source() {
    return instance.isEmpty() ? reporter : reporter + "/" + instance;
  }

  /**
   * What the plugin cost its JobManager since it started: the calls of the JobManager's thread into
   * it, their total and longest time, and its sender thread's CPU time (-1: not measured).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cost(long handOffs, long handOffNanos, long handOffMaxNanos, long senderCpuNanos) {
    public static final Cost UNKNOWN = new Cost(0, 0, 0, -1);
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
