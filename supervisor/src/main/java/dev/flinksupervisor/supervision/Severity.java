package dev.flinksupervisor.supervision;

/** How much an event matters to an on-call engineer. */
public enum Severity {
  INFO,
  WARNING,
  ERROR
}
