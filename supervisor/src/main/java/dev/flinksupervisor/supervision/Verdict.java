package dev.flinksupervisor.supervision;

/** How a job is doing, worst last; UNKNOWN when the sidecar cannot tell. */
public enum Verdict {
  HEALTHY,
  DEGRADED,
  UNHEALTHY,
  UNKNOWN
}
