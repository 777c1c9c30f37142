package dev.flinksupervisor.flink;

/** The cluster as the leading JobManager reports it. */
public record ClusterOverview(
    String flinkVersion, int taskManagers, int slotsTotal, int slotsAvailable) {}
