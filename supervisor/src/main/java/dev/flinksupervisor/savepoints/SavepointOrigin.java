package dev.flinksupervisor.savepoints;

/** Why a savepoint was taken. */
public enum SavepointOrigin {
  MANUAL,
  SCHEDULED,
  SHUTDOWN,
  STOP,
  /** Taken elsewhere (by hand, by an operator) and registered: restorable, retained, disposable. */
  REGISTERED
}
