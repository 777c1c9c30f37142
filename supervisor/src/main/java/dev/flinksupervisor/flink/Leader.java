package dev.flinksupervisor.flink;

import java.time.Instant;

/**
 * The leading JobManager's REST endpoint as Flink's HA services publish it.
 *
 * @param restUrl the leader's REST base URL, for example {@code http://10.0.0.7:8081}
 * @param sessionId the leader session id
 * @param since when the sidecar learnt of this leader
 */
public record Leader(String restUrl, String sessionId, Instant since) {}
