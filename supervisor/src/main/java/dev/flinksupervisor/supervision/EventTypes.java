package dev.flinksupervisor.supervision;

/** The event types the sidecar records; documented in the README. */
public final class EventTypes {
  private EventTypes() {}

  public static final String LEADER_CHANGED = "LEADER_CHANGED";
  public static final String LEADER_LOST = "LEADER_LOST";
  public static final String ROLE_CHANGED = "ROLE_CHANGED";
  public static final String JOB_STATUS_CHANGED = "JOB_STATUS_CHANGED";
  public static final String JOB_APPEARED = "JOB_APPEARED";
  public static final String JOB_DISAPPEARED = "JOB_DISAPPEARED";
  public static final String JOBMANAGER_UNREACHABLE = "JOBMANAGER_UNREACHABLE";
  public static final String JOBMANAGER_REACHABLE = "JOBMANAGER_REACHABLE";
  public static final String ADMIN_ACTION = "ADMIN_ACTION";
  public static final String HEALTH_CHANGED = "HEALTH_CHANGED";
}
