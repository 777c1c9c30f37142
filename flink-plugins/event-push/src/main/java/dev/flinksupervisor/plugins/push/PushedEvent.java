package dev.flinksupervisor.plugins.push;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.events.Event;

/**
 * What is sent of one Flink event: a small immutable copy, made on the sender's thread from what
 * the JobManager's thread captured ({@link CapturedEvent}).
 *
 * @param name the event's name, e.g. {@code JobStatusChangeEvent}
 * @param observedAt when the event happened, epoch milliseconds
 * @param jobId the job's id (the {@code <job_id>} variable), or null for an event of no job
 * @param jobName the job's name (the {@code <job_name>} variable), or null
 * @param attributes the event's own attributes as text, without the metric group's variables
 */
public record PushedEvent(
    String name, long observedAt, String jobId, String jobName, Map<String, String> attributes) {

  static final String JOB_ID_VARIABLE = "<job_id>";
  static final String JOB_NAME_VARIABLE = "<job_name>";

  public PushedEvent {
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /**
   * Copies an event. Flink merges the metric group's variables ({@code <job_id>}, {@code <host>},
   * ...) into the attributes; of those only the job's id and name are kept, as fields.
   */
  public static PushedEvent from(Event event) {
    return CapturedEvent.of(event).toPushed();
  }

  static PushedEvent from(String name, long observedAt, Map<String, Object> source) {
    String jobId = null;
    String jobName = null;
    SortedMap<String, String> attributes = new TreeMap<>();
    if (source != null) {
      for (Map.Entry<String, Object> entry : source.entrySet()) {
        String key = entry.getKey();
        Object value = entry.getValue();
        if (key == null || value == null) {
          continue;
        }
        if (isVariable(key)) {
          if (key.equals(JOB_ID_VARIABLE)) {
            jobId = value.toString();
          } else if (key.equals(JOB_NAME_VARIABLE)) {
            jobName = value.toString();
          }
        } else {
          attributes.put(key, value.toString());
        }
      }
    }
    return new PushedEvent(name, observedAt, jobId, jobName, attributes);
  }

  private static boolean isVariable(String key) {
    return key.length() >= 2 && key.charAt(0) == '<' && key.charAt(key.length() - 1) == '>';
  }
}
