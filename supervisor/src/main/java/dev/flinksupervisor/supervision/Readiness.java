package dev.flinksupervisor.supervision;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the sidecar can answer for the cluster: a leader is known and its REST endpoint answered
 * recently.
 */
public record Readiness(boolean ready, String reason) {

  /**
   * @param recordProblem why the sidecar's record cannot be kept (never read, over budget), if so
   */
  public static Readiness of(
      ClusterSnapshot snapshot,
      Instant now,
      Duration staleAfter,
      java.util.Optional<String> recordProblem) {
    if (recordProblem.isPresent()) {
      return new Readiness(false, recordProblem.get());
    }
    if (snapshot.leader().isEmpty()) {
      return new Readiness(false, "No leading JobManager is known yet");
    }
    String leader = snapshot.leader().get().restUrl();
    if (snapshot.lastSuccess() == null) {
      return new Readiness(
          false,
          "The leader's REST endpoint "
              + leader
              + " has not answered yet"
              + snapshot.lastFailure().map(f -> ": " + f).orElse(""));
    }
    Duration age = Duration.between(snapshot.lastSuccess(), now);
    if (age.compareTo(staleAfter) > 0) {
      return new Readiness(
          false,
          "The leader's REST endpoint "
              + leader
              + " has not answered for "
              + age.toMillis()
              + " ms"
              + snapshot.lastFailure().map(f -> ": " + f).orElse(""));
    }
    return new Readiness(true, "The leader's REST endpoint " + leader + " answers");
  }
}
