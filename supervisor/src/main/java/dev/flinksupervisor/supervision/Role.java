package dev.flinksupervisor.supervision;

/**
 * Whether this sidecar may act. Only the sidecar beside the leading JobManager is {@code ACTIVE};
 * every other one is {@code STANDBY}: it serves reads and refuses actions.
 */
public enum Role {
  ACTIVE,
  STANDBY
}
