package dev.flinksupervisor.plugins.push;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every option of the reporter, as Flink hands it over without the {@code events.reporter.<name>.}
 * prefix. Key, type, default and meaning live here and nowhere else.
 */
public final class PushOptions {

  public static final ConfigOption<String> URL =
      ConfigOptions.key("url")
          .stringType()
          .defaultValue("http://127.0.0.1:8091/push/v1/events")
          .withDescription(
              "Where the batches are POSTed: the sidecar's push endpoint, http or https.");

  public static final ConfigOption<String> TOKEN_FILE =
      ConfigOptions.key("token-file")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Required. File holding the bearer token (the Secret mounted in both containers)."
                  + " Re-read when its modification time or size changes, and after a 401.");

  public static final ConfigOption<String> EVENTS =
      ConfigOptions.key("events")
          .stringType()
          .defaultValue("JobStatusChangeEvent,JobFailureEvent,CheckpointEvent")
          .withDescription(
              "Names of the events to push, comma-separated or a YAML list; all others are ignored.");

  public static final ConfigOption<Integer> QUEUE_CAPACITY =
      ConfigOptions.key("queue-capacity")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Events waiting to be sent at most; an event arriving at a full queue is dropped"
                  + " and counted.");

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("batch-size")
          .intType()
          .defaultValue(100)
          .withDescription("Events in one request at most.");

  public static final ConfigOption<Duration> CONNECT_TIMEOUT =
      ConfigOptions.key("connect-timeout")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .withDescription("Time allowed to open the connection to the sidecar.");

  public static final ConfigOption<Duration> TIMEOUT =
      ConfigOptions.key("timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("Time allowed for one request, from sending to the answer.");

  public static final ConfigOption<Duration> INITIAL_BACKOFF =
      ConfigOptions.key("initial-backoff")
          .durationType()
          .defaultValue(Duration.ofMillis(100))
          .withDescription(
              "Pause after the first failed batch; doubles with every further failure.");

  public static final ConfigOption<Duration> MAX_BACKOFF =
      ConfigOptions.key("max-backoff")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("Longest pause between failed batches; the first success resets it.");

  public static final ConfigOption<Duration> TOKEN_CHECK_INTERVAL =
      ConfigOptions.key("token-check-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "How often the token file's modification time and size are checked for a rotated"
                  + " Secret.");

  public static final ConfigOption<String> REPORTER_NAME =
      ConfigOptions.key("reporter-name")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The batch's \"reporter\" field. Unset: the HOSTNAME environment variable (the pod"
                  + " name), else the JobManager's host name.");

  /** All options, in the order the documentation lists them. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          URL,
          TOKEN_FILE,
          EVENTS,
          QUEUE_CAPACITY,
          BATCH_SIZE,
          CONNECT_TIMEOUT,
          TIMEOUT,
          INITIAL_BACKOFF,
          MAX_BACKOFF,
          TOKEN_CHECK_INTERVAL,
          REPORTER_NAME);

  private PushOptions() {}
}
