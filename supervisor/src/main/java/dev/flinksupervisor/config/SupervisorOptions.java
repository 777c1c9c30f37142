package dev.flinksupervisor.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every option of the sidecar, with its key, default and description in one place. Keys that Flink
 * also has ({@code kubernetes.cluster-id}, {@code high-availability.storageDir}, ...) mean the same
 * as in Flink. The README's configuration table is checked against this list.
 */
public final class SupervisorOptions {
  private SupervisorOptions() {}

  // --- The Flink cluster, found through Flink's Kubernetes HA services ---

  public static final ConfigOption<String> CLUSTER_ID =
      required(
          "kubernetes.cluster-id",
          "text",
          Values::text,
          "The Flink cluster id (Flink's kubernetes.cluster-id). The sidecar follows the leader"
              + " recorded in <cluster-id>-cluster-config-map.");

  public static final ConfigOption<String> NAMESPACE =
      option(
          "kubernetes.namespace",
          "text",
          Values::text,
          "default",
          "The namespace of the Flink cluster's HA ConfigMaps (Flink's kubernetes.namespace).");

  public static final ConfigOption<String> KUBECONFIG =
      option(
          "kubernetes.config.file",
          "path",
          Values::text,
          null,
          "A kubeconfig file for the Kubernetes API. Unset: the in-cluster service account.");

  public static final ConfigOption<String> HA_STORAGE_DIR =
      required(
          "high-availability.storageDir",
          "URI",
          Values::text,
          "Flink's high-availability.storageDir, as the JobManagers have it. Flink's Kubernetes"
              + " HA client needs it, and the HA ConfigMaps' checkpoint handles point into it.");

  public static final ConfigOption<String> OWN_ADDRESS =
      option(
          "role.own-address",
          "host or host:port",
          Values::text,
          null,
          "This pod's JobManager as it appears in the leader's REST URL: the pod IP (from the"
              + " downward API) or host:port. The sidecar is ACTIVE while that JobManager leads,"
              + " STANDBY otherwise. Unset: always ACTIVE, for a cluster with one JobManager.");

  // --- Supervision ---

  public static final ConfigOption<Duration> POLL_INTERVAL =
      option(
          "supervision.poll-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofMillis(500),
          "How often the leader's uncached /jobs/overview is polled for status changes.");

  public static final ConfigOption<Duration> DETAILS_INTERVAL =
      option(
          "supervision.details-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "How often an unchanged job's restarts and checkpoints, and the cluster overview, are"
              + " refreshed. A job whose status changed is refreshed at once.");

  public static final ConfigOption<Duration> REQUEST_TIMEOUT =
      option(
          "supervision.request-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "The longest any one call to the JobManager's REST API may take.");

  public static final ConfigOption<Duration> MAX_BACKOFF =
      option(
          "supervision.max-backoff",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "While the JobManager does not answer, polls back off exponentially from the poll"
              + " interval up to this.");

  public static final ConfigOption<Duration> RETAINED_READ_INTERVAL =
      option(
          "supervision.retained-read-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(30),
          "While the JobManager does not answer, how often each job's newest retained checkpoint"
              + " is read from Flink's HA ConfigMaps (at once when the outage starts).");

  public static final ConfigOption<Integer> EVENT_CAPACITY =
      option(
          "events.capacity",
          "number",
          Values::positiveInt,
          1000,
          "How many events are kept; the oldest are dropped first.");

  public static final ConfigOption<Duration> LEDGER_FLUSH_INTERVAL =
      option(
          "ledger.flush-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(1),
          "How soon a change of the sidecar's record (events, savepoints, owned jobs) is written"
              + " to its ConfigMap <cluster-id>-supervisor. Savepoint triggers are written at once.");

  public static final ConfigOption<Duration> STALE_AFTER =
      option(
          "supervision.stale-after",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "With no successful poll for this long, the state served is marked stale and /readyz"
              + " answers 503.");

  // --- Admin API ---

  public static final ConfigOption<String> API_HOST =
      option("api.host", "host", Values::text, "0.0.0.0", "The address the admin API listens on.");

  public static final ConfigOption<Integer> API_PORT =
      option("api.port", "port", Values::port, 8085, "The admin API's TCP port (0: any free one).");

  public static final ConfigOption<String> ADMIN_TOKEN =
      new ConfigOption<>(
          "admin.token",
          "text",
          Values::text,
          null,
          true,
          true,
          "The bearer token for /api/v1 (set it through the environment, from a Secret).");

  public static final List<ConfigOption<?>> ALL =
      List.of(
          CLUSTER_ID,
          NAMESPACE,
          KUBECONFIG,
          HA_STORAGE_DIR,
          OWN_ADDRESS,
          POLL_INTERVAL,
          DETAILS_INTERVAL,
          REQUEST_TIMEOUT,
          MAX_BACKOFF,
          RETAINED_READ_INTERVAL,
          STALE_AFTER,
          EVENT_CAPACITY,
          LEDGER_FLUSH_INTERVAL,
          API_HOST,
          API_PORT,
          ADMIN_TOKEN);

  /**
   * Settings under this key are handed to Flink's client as they are ({@code flink.rest.retry
   * .max-attempts: 0} becomes Flink's {@code rest.retry.max-attempts}), for example SSL settings of
   * Flink's REST client.
   */
  public static final String FLINK_PASSTHROUGH_PREFIX = "flink.";

  private static <T> ConfigOption<T> option(
      String key, String type, Function<String, T> parser, T defaultValue, String description) {
    return new ConfigOption<>(key, type, parser, defaultValue, false, false, description);
  }

  private static <T> ConfigOption<T> required(
      String key, String type, Function<String, T> parser, String description) {
    return new ConfigOption<>(key, type, parser, null, true, false, description);
  }
}
