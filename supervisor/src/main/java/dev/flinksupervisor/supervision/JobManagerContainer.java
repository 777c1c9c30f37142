package dev.flinksupervisor.supervision;

import java.time.Instant;

/**
 * The JobManager's container as its pod's status tells it: how often Kubernetes restarted it and
 * why it last ended. The sidecar runs beside it in the same pod and outlives its restarts.
 *
 * @param pod the pod's name
 * @param container the container's name
 * @param restarts Kubernetes' restart count of the container
 * @param state {@code running}, {@code waiting: <reason>} or {@code terminated: <reason>}
 * @param lastTermination how the container last ended, if it ever did (left out if never)
 */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record JobManagerContainer(
    String pod, String container, int restarts, String state, Termination lastTermination) {

  /**
   * One end of the container.
   *
   * @param reason Kubernetes' reason, for example {@code OOMKilled} or {@code Error}
   * @param exitCode the process's exit code (137: killed, often by the out-of-memory killer)
   * @param at when it ended
   */
  public record Termination(String reason, int exitCode, Instant at) {
    public String describe() {
      return (reason == null ? "ended" : reason)
          + ", exit code "
          + exitCode
          + (at == null ? "" : " at " + at);
    }
  }
}
