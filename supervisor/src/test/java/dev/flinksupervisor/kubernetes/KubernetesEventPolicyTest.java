package dev.flinksupervisor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which sidecar events become Kubernetes Events, and how many may be written. */
class KubernetesEventPolicyTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static Event event(String type, Severity severity, String jobId, String message) {
    return new Event(1, T0, T0, type, severity, jobId, message, 1);
  }

  @Test
  void what_matters_to_kubectl_describe_becomes_an_event_with_a_reason_and_a_type() {
    assertThat(
            KubernetesEventPolicy.noteOf(
                event(EventTypes.SAVEPOINT_COMPLETED, Severity.INFO, "j1", "done at s3://x")))
        .contains(
            new KubernetesEventPolicy.Note(
                "SavepointCompleted", "Normal", "job j1: done at s3://x"));
    assertThat(
            KubernetesEventPolicy.noteOf(
                event(EventTypes.JOBMANAGER_RESTART_LOOP, Severity.ERROR, null, "looping")))
        .contains(new KubernetesEventPolicy.Note("JobManagerRestartLoop", "Warning", "looping"));
    assertThat(
            KubernetesEventPolicy.noteOf(
                event(EventTypes.HEALTH_CHANGED, Severity.INFO, "j", "Job 'x' is HEALTHY")))
        .hasValueSatisfying(n -> assertThat(n.type()).isEqualTo("Normal"));
    assertThat(
            KubernetesEventPolicy.noteOf(
                event(EventTypes.HEALTH_CHANGED, Severity.WARNING, "j", "Job 'x' is UNHEALTHY: y")))
        .hasValueSatisfying(n -> assertThat(n.type()).isEqualTo("Warning"));
    assertThat(
            KubernetesEventPolicy.noteOf(
                event(EventTypes.ADMIN_ACTION, Severity.INFO, null, "POST /api/v1/jobs")))
        .as("the admin API's own audit trail stays there")
        .isEmpty();
    assertThat(
            KubernetesEventPolicy.noteOf(
                    event(EventTypes.JOB_FAILURE, Severity.WARNING, null, "x".repeat(5000)))
                .orElseThrow()
                .message())
        .hasSize(KubernetesEventPolicy.MAX_MESSAGE)
        .endsWith("...");
  }

  @Test
  void a_burst_then_one_per_interval() {
    MutableClock clock = new MutableClock(T0);
    KubernetesEventPolicy policy = new KubernetesEventPolicy(clock, 3, Duration.ofSeconds(10));
    assertThat(policy.mayWrite()).isTrue();
    assertThat(policy.mayWrite()).isTrue();
    assertThat(policy.mayWrite()).isTrue();
    assertThat(policy.mayWrite()).isFalse();
    clock.advance(Duration.ofSeconds(9));
    assertThat(policy.mayWrite()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(policy.mayWrite()).isTrue();
    assertThat(policy.mayWrite()).isFalse();
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(policy.mayWrite()).as("no more than the burst after a quiet hour").isTrue();
    }
    assertThat(policy.mayWrite()).isFalse();
  }
}
