package dev.flinksupervisor.api;

/** What a bearer token may do: {@code VIEWER} reads, {@code OPERATOR} reads and acts. */
public enum ApiRole {
  VIEWER,
  OPERATOR
}
