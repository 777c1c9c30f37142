package dev.flinksupervisor.savepoints;

/** Why a savepoint was taken. */
public enum SavepointOrigin {
  MANUAL,
  SCHEDULED,
  SHUTDOWN,
  STOP
}
