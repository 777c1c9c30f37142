package dev.flinksupervisor.api;

/**
 * What a bearer token may do: {@code VIEWER} reads, {@code OPERATOR} reads and acts, {@code PUSH}
 * only delivers the JobManager's events to the push listener.
 */
public enum ApiRole {
  VIEWER,
  OPERATOR,
  PUSH
}
