package dev.flinksupervisor.config;

import dev.flinksupervisor.api.auth.ClientAuthMode;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.savepoints.BlackoutWindow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
          Duration.ofMillis(200),
          "How often the leader's uncached /jobs/overview is polled for status changes; a change"
              + " is seen within about one interval (a push from the JobManager's plugin is"
              + " seen at once).");

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
              + " to its ConfigMap <cluster-id>-supervisor. A savepoint trigger, a new job id or a"
              + " re-profiling step is written at once, before Flink is asked.");

  public static final ConfigOption<Duration> LEDGER_WRITE_TIMEOUT =
      option(
          "ledger.write-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(10),
          "How long an action waits for its record to be written before it gives up (an API call"
              + " then answers 503 with Retry-After, a scheduled one is tried again later).");

  public static final ConfigOption<Duration> LEDGER_FINISHED_RETENTION =
      option(
          "ledger.finished-job-retention",
          "duration",
          Values::positiveDuration,
          Duration.ofDays(7),
          "A job that ended for good (finished, cancelled, failed and not recovered, refused), or"
              + " that the JobManager no longer lists, is forgotten this long after, with its"
              + " savepoint records, policies and re-profilings (savepoint files are not deleted).");

  public static final ConfigOption<Duration> KUBERNETES_REQUEST_TIMEOUT =
      option(
          "kubernetes.request-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(10),
          "The longest one call to the Kubernetes API may take (the sidecar's record, and reads of"
              + " Flink's HA ConfigMaps while the JobManager does not answer).");

  public static final ConfigOption<Duration> STALE_AFTER =
      option(
          "supervision.stale-after",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "With no successful poll for this long, the state served is marked stale and /readyz"
              + " answers 503.");

  // --- Health ---

  public static final ConfigOption<Integer> HEALTH_RESTART_LIMIT =
      option(
          "health.restart-limit",
          "number",
          Values::nonNegativeInt,
          3,
          "More restarts than this within health.restart-window is a restart loop (UNHEALTHY).");

  public static final ConfigOption<Duration> HEALTH_RESTART_WINDOW =
      option(
          "health.restart-window",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(10),
          "The window in which restarts are counted.");

  public static final ConfigOption<Duration> HEALTH_CHECKPOINT_WINDOW =
      option(
          "health.checkpoint-window",
          "duration",
          Values::positiveDuration,
          null,
          "A checkpointing job with no completed checkpoint for this long is DEGRADED. Unset: the"
              + " window follows each job's own checkpointing as its JobManager reports it"
              + " (/jobs/:id/checkpoints/config): (tolerable failures + 1) x (max(interval, min"
              + " pause) + timeout) + interval, so a job configured in code is judged by its own"
              + " settings; 10 min until they are read.");

  public static final ConfigOption<Integer> HEALTH_CHECKPOINT_FAILURE_LIMIT =
      option(
          "health.checkpoint-failure-limit",
          "number",
          Values::positiveInt,
          3,
          "This many failed checkpoints since the last completed one is DEGRADED.");

  public static final ConfigOption<Duration> HEALTH_SAVEPOINT_FRESHNESS =
      option(
          "health.savepoint-freshness",
          "duration",
          Values::positiveDuration,
          null,
          "A running job whose newest completed savepoint (or whose start, if it has none) is"
              + " older than this is DEGRADED (SAVEPOINT_STALE, with an event). Unset: not judged;"
              + " settable per job.");

  public static final ConfigOption<Duration> HEALTH_STUCK_AFTER =
      option(
          "health.stuck-after",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(5),
          "A job in CREATED, INITIALIZING, RESTARTING, FAILING, CANCELLING or RECONCILING for this"
              + " long is UNHEALTHY.");

  // --- Savepoints ---

  public static final ConfigOption<Duration> SAVEPOINT_INTERVAL =
      option(
          "savepoints.interval",
          "duration",
          Values::positiveDuration,
          null,
          "Default schedule: a savepoint of every running job this long after the previous"
              + " scheduled one. Unset: no interval schedule.");

  public static final ConfigOption<String> SAVEPOINT_CRON =
      option(
          "savepoints.cron",
          "cron",
          Values::cron,
          null,
          "Default schedule as a Unix cron expression in UTC (minute hour day month weekday)."
              + " Unset: no cron schedule.");

  public static final ConfigOption<BlackoutWindow> SAVEPOINT_BLACKOUT =
      option(
          "savepoints.blackout",
          "cron;duration;zone",
          Values::blackout,
          null,
          "Default blackout window in which no scheduled savepoint starts, for example"
              + " '0 9 * * 1-5;8h;Europe/Berlin'.");

  public static final ConfigOption<Duration> SAVEPOINT_JITTER =
      option(
          "savepoints.jitter",
          "duration",
          Values::duration,
          Duration.ZERO,
          "Each job's scheduled savepoints start up to this long after their time, by an offset"
              + " fixed per job (the same in every sidecar), so that jobs on one schedule do not all"
              + " savepoint at once, nor all catch up at once after a takeover. Shorter than the"
              + " interval and than the cron's period.");

  public static final ConfigOption<dev.flinksupervisor.savepoints.SavepointPolicy.CatchUp>
      SAVEPOINT_CATCH_UP =
          option(
              "savepoints.catch-up",
              "ONCE or SKIP",
              Values.enumOf(dev.flinksupervisor.savepoints.SavepointPolicy.CatchUp.class),
              dev.flinksupervisor.savepoints.SavepointPolicy.CatchUp.ONCE,
              "Scheduled times that passed while no sidecar was ACTIVE: ONCE takes one savepoint as"
                  + " soon as a sidecar is ACTIVE again; SKIP waits for the next time after that.");

  public static final ConfigOption<Integer> SAVEPOINT_RETAIN_COUNT =
      option(
          "savepoints.retain-count",
          "number",
          Values::positiveInt,
          5,
          "Completed savepoints kept per job; older ones are disposed of through Flink. The newest"
              + " is always kept.");

  public static final ConfigOption<Duration> SAVEPOINT_RETAIN_AGE =
      option(
          "savepoints.retain-age",
          "duration",
          Values::positiveDuration,
          Duration.ofDays(7),
          "Completed savepoints older than this are disposed of (never the newest).");

  public static final ConfigOption<Duration> SAVEPOINT_KEEP_WITHIN =
      option(
          "savepoints.keep-within",
          "duration",
          Values::positiveDuration,
          null,
          "Besides the newest savepoints.retain-count: keep every completed savepoint this young."
              + " Unset: none.");

  public static final ConfigOption<Integer> SAVEPOINT_KEEP_HOURLY = keepEvery("hourly", "hours");

  public static final ConfigOption<Integer> SAVEPOINT_KEEP_DAILY = keepEvery("daily", "days");

  public static final ConfigOption<Integer> SAVEPOINT_KEEP_WEEKLY =
      keepEvery("weekly", "ISO weeks");

  public static final ConfigOption<Integer> SAVEPOINT_KEEP_MONTHLY = keepEvery("monthly", "months");

  private static ConfigOption<Integer> keepEvery(String rule, String periods) {
    return option(
        "savepoints.keep-" + rule,
        "number",
        Values::nonNegativeInt,
        0,
        "Besides the newest savepoints.retain-count: keep the newest completed savepoint of each"
            + " of the last this many "
            + periods
            + " (UTC) that have one.");
  }

  public static final ConfigOption<Boolean> SAVEPOINT_ON_SHUTDOWN =
      option(
          "savepoints.on-shutdown",
          "boolean",
          Values::bool,
          true,
          "On SIGTERM (pod deletion) the ACTIVE sidecar takes a savepoint of every running job.");

  public static final ConfigOption<Duration> SAVEPOINT_SHUTDOWN_GRACE =
      option(
          "savepoints.shutdown-grace",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(60),
          "How long shutdown savepoints may take; keep the pod's terminationGracePeriodSeconds"
              + " longer.");

  public static final ConfigOption<String> SAVEPOINT_HANDSHAKE_DIRECTORY =
      option(
          "savepoints.handshake-directory",
          "path",
          Values::text,
          null,
          "A directory shared with the JobManager container (an emptyDir) through which its preStop"
              + " hook asks for the shutdown savepoints and waits until they are done (files alive,"
              + " stop-requested, savepoints-done). Unset: shutdown savepoints on SIGTERM only.");

  public static final ConfigOption<Duration> SAVEPOINT_TIMEOUT =
      option(
          "savepoints.timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(10),
          "A savepoint still in progress this long after its trigger counts as failed.");

  public static final ConfigOption<Integer> SAVEPOINT_MAX_ATTEMPTS =
      option(
          "savepoints.max-attempts",
          "number",
          Values::positiveInt,
          3,
          "Triggers sent for one savepoint before it is FAILED for good.");

  public static final ConfigOption<Duration> SAVEPOINT_RETRY_BACKOFF =
      option(
          "savepoints.retry-backoff",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(10),
          "The wait before the first retry; it doubles with each retry, up to 5 minutes.");

  public static final ConfigOption<String> SAVEPOINT_TARGET_DIRECTORY =
      option(
          "savepoints.target-directory",
          "URI",
          Values::text,
          null,
          "Where savepoints go unless a request says. Unset: Flink's own default"
              + " (execution.checkpointing.savepoint-dir).");

  public static final ConfigOption<Format> SAVEPOINT_FORMAT =
      option(
          "savepoints.format",
          "canonical or native",
          Values.enumOf(Format.class),
          Format.CANONICAL,
          "The default savepoint format.");

  public static final ConfigOption<Duration> SAVEPOINT_TRACK_INTERVAL =
      option(
          "savepoints.track-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofMillis(500),
          "How often savepoints in flight are checked, and schedules, retention, recovery and"
              + " re-profiling applied; a savepoint just triggered is checked every 20 ms for 2 s,"
              + " then every 100 ms up to 10 s.");

  // --- Jobs ---

  public static final ConfigOption<String> JAR_DIRECTORY =
      option(
          "jobs.jar-directory",
          "path",
          Values::text,
          "/opt/flink/usrlib",
          "Jobs are submitted from jars under this directory only.");

  public static final ConfigOption<String> UPLOAD_DIRECTORY =
      option(
          "jobs.upload-directory",
          "path",
          Values::text,
          "/tmp/flink-supervisor/uploads",
          "Jars uploaded with a submission are kept here, named by their SHA-256; mount a volume to"
              + " keep them across pod restarts (a job is run again from its jar).");

  public static final ConfigOption<Integer> MAX_UPLOAD_BYTES =
      option(
          "jobs.max-upload-bytes",
          "bytes",
          Values::positiveInt,
          256 * 1024 * 1024,
          "The largest jar a submission may upload; larger uploads get 413.");

  public static final ConfigOption<Duration> SUBMIT_TIMEOUT =
      option(
          "jobs.submit-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(2),
          "The longest building a job's graph from its jar and submitting it may take.");

  public static final ConfigOption<Duration> GRAPH_BUILDER_TIMEOUT =
      option(
          "jobs.graph-builder-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(1),
          "The longest the JVM that runs a job's main() to build its graph may take; it is killed"
              + " then, and the submission refused.");

  public static final ConfigOption<Integer> GRAPH_BUILDER_MEMORY_MB =
      option(
          "jobs.graph-builder-memory-mb",
          "MiB",
          Values::positiveInt,
          256,
          "The heap of the JVM that runs a job's main() to build its graph (-Xmx); a main() that"
              + " needs more fails with an out-of-memory error and the sidecar keeps serving.");

  public static final ConfigOption<Duration> RECOVERY_CHECKPOINT_SETTLE =
      option(
          "jobs.recovery-checkpoint-settle",
          "duration",
          Values::positiveDuration,
          dev.flinksupervisor.jobs.Recovery.DEFAULT_CHECKPOINT_SETTLE,
          "A failed job is restarted once its checkpoint statistics were read this long after it"
              + " ended: Flink serves them from a cache (rest.cache.checkpoint-statistics.timeout,"
              + " 3 s by default), and restoring from anything older than the newest checkpoint"
              + " repeats output an exactly-once sink has committed.");

  public static final ConfigOption<Duration> RECOVERY_RESET_AFTER =
      option(
          "jobs.recovery-reset-after",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(10),
          "A recovered job that has run this long without a status change starts its recovery"
              + " attempts over, so that rare failures never use up its maxAttempts.");

  public static final ConfigOption<Integer> ACTION_THREADS =
      option(
          "actions.threads",
          "number",
          Values::positiveInt,
          4,
          "Threads for calls to Flink on behalf of savepoints, and as many again for submissions"
              + " and re-profiling; one action per job at a time, jobs in parallel.");

  public static final ConfigOption<Duration> ROLLBACK_RETRY_BACKOFF =
      option(
          "jobs.rollback-retry-backoff",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "When a re-profiled job is refused with its new profiles and then with its old ones,"
              + " the old ones are tried again after this, doubling up to 64 times it.");

  // --- Metrics ---

  public static final ConfigOption<Boolean> METRICS_REQUIRE_TOKEN =
      option(
          "metrics.require-token",
          "boolean",
          Values::bool,
          false,
          "Whether GET /metrics needs a bearer token (any role) like /api/v1.");

  public static final ConfigOption<Boolean> JOBMANAGER_POD_STATUS =
      option(
          "jobmanager.pod-status",
          "boolean",
          Values::bool,
          true,
          "Follow the JobManager container's restarts and last termination (reason, exit code)"
              + " in this pod's status (metrics.pod-name), with a list and a watch of that pod."
              + " Needs list and watch on pods in the Role; false: not read, and the rule can go.");

  public static final ConfigOption<String> JOBMANAGER_CONTAINER_NAME =
      option(
          "jobmanager.container-name",
          "text",
          Values::text,
          "flink-main-container",
          "The JobManager's container in this pod, as Flink's Kubernetes integration and the"
              + " operators name it.");

  public static final ConfigOption<Integer> JOBMANAGER_RESTART_LIMIT =
      option(
          "jobmanager.restart-limit",
          "number",
          Values::nonNegativeInt,
          3,
          "More JobManager container restarts than this within jobmanager.restart-window is a"
              + " restart loop: an UNHEALTHY cluster-level reason and a JOBMANAGER_RESTART_LOOP"
              + " event.");

  public static final ConfigOption<Duration> JOBMANAGER_RESTART_WINDOW =
      option(
          "jobmanager.restart-window",
          "duration",
          Values::positiveDuration,
          Duration.ofMinutes(10),
          "The window in which JobManager container restarts are counted.");

  public static final ConfigOption<Boolean> KUBERNETES_EVENTS =
      option(
          "kubernetes.events",
          "boolean",
          Values::bool,
          true,
          "Write what matters of the sidecar's events (jobs failing and recovering, restart loops,"
              + " savepoints, re-profiles, leader changes) as Kubernetes Events on this pod"
              + " (metrics.pod-name), so that kubectl describe tells the story. Needs create, get and"
              + " update on events in the Role.");

  public static final ConfigOption<Integer> KUBERNETES_EVENTS_BURST =
      option(
          "kubernetes.events-burst",
          "number",
          Values::positiveInt,
          25,
          "Kubernetes Events written at once before the rate limit holds them back; then one per"
              + " kubernetes.events-refill.");

  public static final ConfigOption<Duration> KUBERNETES_EVENTS_REFILL =
      option(
          "kubernetes.events-refill",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(10),
          "One more Kubernetes Event may be written per this much time once the burst is spent.");

  public static final ConfigOption<String> METRICS_POD_NAME =
      option(
          "metrics.pod-name",
          "text",
          Values::text,
          null,
          "The pod's name for the k8s.pod.name tag (downward API metadata.name). Unset: the host"
              + " name.");

  public static final ConfigOption<Boolean> OTLP_ENABLED =
      option(
          "metrics.otlp.enabled",
          "boolean",
          Values::bool,
          false,
          "Push metrics by OTLP over HTTP/protobuf.");

  public static final ConfigOption<String> OTLP_URL =
      option(
          "metrics.otlp.url",
          "URL",
          Values::text,
          null,
          "Where OTLP metrics go. Unset: OTEL_EXPORTER_OTLP_METRICS_ENDPOINT or"
              + " OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318/v1/metrics.");

  public static final ConfigOption<Duration> OTLP_STEP =
      option(
          "metrics.otlp.step",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(60),
          "How often metrics are pushed.");

  public static final ConfigOption<Map<String, String>> OTLP_HEADERS =
      new ConfigOption<>(
          "metrics.otlp.headers",
          "key=value,…",
          Values::keyValues,
          null,
          false,
          true,
          "Headers of every OTLP request (for example an API key). Unset: OTEL_EXPORTER_OTLP_HEADERS.");

  public static final ConfigOption<Map<String, String>> OTLP_RESOURCE_ATTRIBUTES =
      option(
          "metrics.otlp.resource-attributes",
          "key=value,…",
          Values::keyValues,
          null,
          "Extra OTLP resource attributes, beside service.name, k8s.namespace.name, k8s.pod.name"
              + " and flink.cluster.id.");

  // --- Admin API ---

  public static final ConfigOption<String> API_HOST =
      option("api.host", "host", Values::text, "0.0.0.0", "The address the admin API listens on.");

  public static final ConfigOption<Integer> API_PORT =
      option("api.port", "port", Values::port, 8085, "The admin API's TCP port (0: any free one).");

  public static final ConfigOption<Integer> API_MAX_BODY_BYTES =
      option(
          "api.max-body-bytes",
          "bytes",
          Values::positiveInt,
          1024 * 1024,
          "The largest request body the admin API reads; larger ones get 413.");

  public static final ConfigOption<Integer> API_MAX_CONCURRENT_ACTIONS =
      option(
          "api.max-concurrent-actions",
          "number",
          Values::positiveInt,
          4,
          "How many calls that change something may run at once; more get 429.");

  public static final ConfigOption<Integer> API_MAX_EVENT_STREAMS =
      option(
          "api.max-event-streams",
          "number",
          Values::positiveInt,
          32,
          "How many clients may follow /api/v1/events/stream at once; more get 503.");

  public static final ConfigOption<Integer> API_EVENT_STREAM_QUEUE =
      option(
          "api.event-stream-queue",
          "number",
          Values::positiveInt,
          1000,
          "How many events an event-stream client may fall behind by before it is disconnected"
              + " (it resumes with ?since=).");

  public static final ConfigOption<Duration> API_IDLE_TIMEOUT =
      option(
          "api.idle-timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(30),
          "A connection that sends or reads nothing for this long is closed.");

  public static final ConfigOption<String> TLS_CERTIFICATE =
      option(
          "api.tls.certificate-file",
          "path",
          Values::text,
          null,
          "A PEM certificate chain: with api.tls.key-file, the admin API speaks HTTPS only.");

  public static final ConfigOption<String> TLS_KEY =
      option(
          "api.tls.key-file",
          "path",
          Values::text,
          null,
          "The PEM PKCS#8 private key (RSA, EC or Ed25519) of the certificate.");

  public static final ConfigOption<Duration> TLS_RELOAD_INTERVAL =
      option(
          "api.tls.reload-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(30),
          "How often the certificate and key files are checked for changes.");

  public static final ConfigOption<String> ADMIN_TOKEN =
      new ConfigOption<>(
          "admin.token",
          "text",
          Values::text,
          null,
          false,
          true,
          "An operator bearer token for /api/v1 (set it through the environment, from a Secret)."
              + " This or admin.tokens-file is required.");

  public static final ConfigOption<String> TOKENS_FILE =
      option(
          "admin.tokens-file",
          "path",
          Values::text,
          null,
          "A file of bearer tokens, one '<operator|viewer> <token>' per line (a mounted Secret);"
              + " re-read when it changes.");

  public static final ConfigOption<String> PUSH_TOKEN_FILE =
      option(
          "push.token-file",
          "path",
          Values::text,
          null,
          "A file holding the token the JobManager's push plugin sends (a Secret mounted in both"
              + " containers). Set, the sidecar accepts the plugin's events on push.host:push.port;"
              + " unset, it only polls. Re-read when it changes.");

  public static final ConfigOption<String> PUSH_HOST =
      option(
          "push.host",
          "host",
          Values::text,
          "127.0.0.1",
          "The address the push listener binds: loopback, because the plugin runs in the same"
              + " pod.");

  public static final ConfigOption<Integer> PUSH_PORT =
      option(
          "push.port",
          "port",
          Values::port,
          8091,
          "The push listener's TCP port (0: any free one), plain HTTP, serving only"
              + " POST /push/v1/events.");

  public static final ConfigOption<Duration> TOKENS_RELOAD_INTERVAL =
      option(
          "admin.tokens-reload-interval",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(10),
          "How often the tokens file and the push token file are checked for changes.");

  public static final ConfigOption<String> VIEWER_TOKEN =
      new ConfigOption<>(
          "admin.viewer-token",
          "text",
          Values::text,
          null,
          false,
          true,
          "An optional bearer token that may only read (viewer role).");

  // --- Admin API authentication beyond static tokens (README: "Authentication") ---

  public static final ConfigOption<String> TLS_CLIENT_CA =
      option(
          "api.tls.client-ca-file",
          "path",
          Values::text,
          null,
          "A PEM bundle of the CAs whose client certificates the admin API accepts (mTLS; needs"
              + " api.tls.certificate-file). Re-read when it changes. auth.mtls.operators and"
              + " auth.mtls.viewers map certificates to roles.");

  public static final ConfigOption<ClientAuthMode> TLS_CLIENT_AUTH =
      option(
          "api.tls.client-auth",
          "want or need",
          Values.enumOf(ClientAuthMode.class),
          ClientAuthMode.WANT,
          "With api.tls.client-ca-file: want asks for a client certificate (a client without one"
              + " may still send a bearer token), need refuses connections without one.");

  public static final ConfigOption<String> MTLS_OPERATORS =
      option(
          "auth.mtls.operators",
          "patterns",
          Values::text,
          null,
          "Client certificates that get the operator role, patterns separated by ';': a subject"
              + " such as CN=flink-controller,O=platform (all its attributes must match), SAN:,"
              + " DNS:, URI: or EMAIL: and a name (a trailing * matches any rest), or *.");

  public static final ConfigOption<String> MTLS_VIEWERS =
      option(
          "auth.mtls.viewers",
          "patterns",
          Values::text,
          null,
          "Client certificates that get the viewer role, patterns as for auth.mtls.operators"
              + " (which are tried first).");

  public static final ConfigOption<String> OIDC_ISSUER =
      option(
          "auth.oidc.issuer",
          "URL",
          Values::text,
          null,
          "Accept OIDC/OAuth access tokens (JWTs, RS256 or ES256) whose iss is exactly this."
              + " Needs auth.oidc.audience.");

  public static final ConfigOption<String> OIDC_AUDIENCE =
      option(
          "auth.oidc.audience",
          "text",
          Values::text,
          null,
          "The audience (aud) an OIDC token must be issued for.");

  public static final ConfigOption<String> OIDC_JWKS_URL =
      option(
          "auth.oidc.jwks-url",
          "URL",
          Values::text,
          null,
          "The issuer's JWKS. Unset: the jwks_uri of <issuer>/.well-known/openid-configuration,"
              + " read on first use.");

  public static final ConfigOption<String> OIDC_ROLE_CLAIM =
      option(
          "auth.oidc.role-claim",
          "claim name or path",
          Values::text,
          "roles",
          "The claim holding the caller's roles: a string (space-separated) or an array; a dotted"
              + " path such as realm_access.roles reaches into nested objects.");

  public static final ConfigOption<String> OIDC_OPERATOR_VALUES =
      option(
          "auth.oidc.operator-values",
          "value,…",
          Values::text,
          "flink-supervisor-operator",
          "Values of the role claim that give the operator role, separated by commas.");

  public static final ConfigOption<String> OIDC_VIEWER_VALUES =
      option(
          "auth.oidc.viewer-values",
          "value,…",
          Values::text,
          "flink-supervisor-viewer",
          "Values of the role claim that give the viewer role, separated by commas.");

  public static final ConfigOption<Duration> OIDC_CLOCK_SKEW =
      option(
          "auth.oidc.clock-skew",
          "duration",
          Values::duration,
          Duration.ofSeconds(30),
          "How far exp and nbf of an OIDC token may be off the sidecar's clock.");

  public static final ConfigOption<Boolean> KUBERNETES_AUTH =
      option(
          "auth.kubernetes.enabled",
          "boolean",
          Values::bool,
          false,
          "Accept Kubernetes (service-account) tokens: a TokenReview authenticates them, and"
              + " SubjectAccessReviews give operator for update, viewer for get on jobs in API group"
              + " flink-supervisor.dev named <cluster-id>. Needs the auth-delegator binding.");

  public static final ConfigOption<String> KUBERNETES_AUTH_AUDIENCE =
      option(
          "auth.kubernetes.audience",
          "text",
          Values::text,
          null,
          "The audience Kubernetes tokens must be issued for (a projected token's audience)."
              + " Unset: the API server's own.");

  public static final ConfigOption<Duration> KUBERNETES_AUTH_CACHE_TTL =
      option(
          "auth.kubernetes.cache-ttl",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(30),
          "How long a reviewed token's answer, accepted or refused, is reused.");

  public static final ConfigOption<Duration> AUTH_TIMEOUT =
      option(
          "auth.timeout",
          "duration",
          Values::positiveDuration,
          Duration.ofSeconds(5),
          "The longest a call to an identity provider may take (OIDC discovery and JWKS,"
              + " TokenReview, SubjectAccessReview); the request then gets 503.");

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
          HEALTH_RESTART_LIMIT,
          HEALTH_RESTART_WINDOW,
          HEALTH_CHECKPOINT_WINDOW,
          HEALTH_CHECKPOINT_FAILURE_LIMIT,
          HEALTH_STUCK_AFTER,
          HEALTH_SAVEPOINT_FRESHNESS,
          SAVEPOINT_INTERVAL,
          SAVEPOINT_CRON,
          SAVEPOINT_JITTER,
          SAVEPOINT_CATCH_UP,
          SAVEPOINT_BLACKOUT,
          SAVEPOINT_RETAIN_COUNT,
          SAVEPOINT_RETAIN_AGE,
          SAVEPOINT_KEEP_WITHIN,
          SAVEPOINT_KEEP_HOURLY,
          SAVEPOINT_KEEP_DAILY,
          SAVEPOINT_KEEP_WEEKLY,
          SAVEPOINT_KEEP_MONTHLY,
          SAVEPOINT_ON_SHUTDOWN,
          SAVEPOINT_SHUTDOWN_GRACE,
          SAVEPOINT_HANDSHAKE_DIRECTORY,
          SAVEPOINT_TIMEOUT,
          SAVEPOINT_MAX_ATTEMPTS,
          SAVEPOINT_RETRY_BACKOFF,
          SAVEPOINT_TARGET_DIRECTORY,
          SAVEPOINT_FORMAT,
          SAVEPOINT_TRACK_INTERVAL,
          JAR_DIRECTORY,
          UPLOAD_DIRECTORY,
          MAX_UPLOAD_BYTES,
          SUBMIT_TIMEOUT,
          GRAPH_BUILDER_TIMEOUT,
          GRAPH_BUILDER_MEMORY_MB,
          RECOVERY_RESET_AFTER,
          RECOVERY_CHECKPOINT_SETTLE,
          ROLLBACK_RETRY_BACKOFF,
          ACTION_THREADS,
          METRICS_REQUIRE_TOKEN,
          METRICS_POD_NAME,
          KUBERNETES_EVENTS,
          KUBERNETES_EVENTS_BURST,
          KUBERNETES_EVENTS_REFILL,
          JOBMANAGER_POD_STATUS,
          JOBMANAGER_CONTAINER_NAME,
          JOBMANAGER_RESTART_LIMIT,
          JOBMANAGER_RESTART_WINDOW,
          OTLP_ENABLED,
          OTLP_URL,
          OTLP_STEP,
          OTLP_HEADERS,
          OTLP_RESOURCE_ATTRIBUTES,
          LEDGER_FLUSH_INTERVAL,
          LEDGER_WRITE_TIMEOUT,
          LEDGER_FINISHED_RETENTION,
          KUBERNETES_REQUEST_TIMEOUT,
          API_HOST,
          API_PORT,
          API_MAX_BODY_BYTES,
          API_MAX_CONCURRENT_ACTIONS,
          API_MAX_EVENT_STREAMS,
          API_EVENT_STREAM_QUEUE,
          API_IDLE_TIMEOUT,
          TLS_CERTIFICATE,
          TLS_KEY,
          TLS_RELOAD_INTERVAL,
          TLS_CLIENT_CA,
          TLS_CLIENT_AUTH,
          ADMIN_TOKEN,
          VIEWER_TOKEN,
          TOKENS_FILE,
          TOKENS_RELOAD_INTERVAL,
          PUSH_TOKEN_FILE,
          PUSH_HOST,
          PUSH_PORT,
          MTLS_OPERATORS,
          MTLS_VIEWERS,
          OIDC_ISSUER,
          OIDC_AUDIENCE,
          OIDC_JWKS_URL,
          OIDC_ROLE_CLAIM,
          OIDC_OPERATOR_VALUES,
          OIDC_VIEWER_VALUES,
          OIDC_CLOCK_SKEW,
          KUBERNETES_AUTH,
          KUBERNETES_AUTH_AUDIENCE,
          KUBERNETES_AUTH_CACHE_TTL,
          AUTH_TIMEOUT);

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
