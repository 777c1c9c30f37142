package dev.flinksupervisor.supervision;

/**
 * Every event type the sidecar records, in one place; the README's list of events is checked
 * against it.
 */
public final class EventTypes {
  private EventTypes() {}

  // Leadership and the JobManager.
  public static final String LEADER_CHANGED = "LEADER_CHANGED";
  public static final String LEADER_LOST = "LEADER_LOST";
  public static final String ROLE_CHANGED = "ROLE_CHANGED";
  public static final String JOBMANAGER_UNREACHABLE = "JOBMANAGER_UNREACHABLE";
  public static final String JOBMANAGER_REACHABLE = "JOBMANAGER_REACHABLE";
  public static final String JOBMANAGER_RESTARTED = "JOBMANAGER_RESTARTED";
  public static final String JOBMANAGER_RESTART_LOOP = "JOBMANAGER_RESTART_LOOP";

  // Jobs as the JobManager reports them.
  public static final String JOB_STATUS_CHANGED = "JOB_STATUS_CHANGED";
  public static final String JOB_APPEARED = "JOB_APPEARED";
  public static final String JOB_DISAPPEARED = "JOB_DISAPPEARED";
  public static final String JOB_FAILURE = "JOB_FAILURE";
  public static final String HEALTH_CHANGED = "HEALTH_CHANGED";
  public static final String STATE_REGRESSED = "STATE_REGRESSED";

  // The JobManager's push plugin.
  public static final String PUSH_STARTED = "PUSH_STARTED";
  public static final String PUSH_EVENTS_DROPPED = "PUSH_EVENTS_DROPPED";

  // The admin API.
  public static final String ADMIN_ACTION = "ADMIN_ACTION";

  // Savepoints.
  public static final String SAVEPOINT_REQUESTED = "SAVEPOINT_REQUESTED";
  public static final String SAVEPOINT_COMPLETED = "SAVEPOINT_COMPLETED";
  public static final String SAVEPOINT_FAILED = "SAVEPOINT_FAILED";
  public static final String SAVEPOINT_RETRYING = "SAVEPOINT_RETRYING";
  public static final String SAVEPOINT_ABANDONED = "SAVEPOINT_ABANDONED";
  public static final String SAVEPOINT_DISPOSED = "SAVEPOINT_DISPOSED";
  public static final String SAVEPOINT_DISPOSAL_FAILED = "SAVEPOINT_DISPOSAL_FAILED";
  public static final String SAVEPOINT_STALE = "SAVEPOINT_STALE";
  public static final String JOB_CANCELLED = "JOB_CANCELLED";

  // Jobs the sidecar submits and recovers.
  public static final String JOB_SUBMITTED = "JOB_SUBMITTED";
  public static final String JOB_SUBMISSION_FAILED = "JOB_SUBMISSION_FAILED";
  public static final String RECOVERY_STARTED = "RECOVERY_STARTED";
  public static final String RECOVERY_FAILED = "RECOVERY_FAILED";
  public static final String RECOVERY_GAVE_UP = "RECOVERY_GAVE_UP";
  public static final String JOB_EXPIRED = "JOB_EXPIRED";

  // Re-profiling.
  public static final String REPROFILE_REQUESTED = "REPROFILE_REQUESTED";
  public static final String REPROFILE_COMPLETED = "REPROFILE_COMPLETED";
  public static final String REPROFILE_ROLLING_BACK = "REPROFILE_ROLLING_BACK";
  public static final String REPROFILE_ROLLED_BACK = "REPROFILE_ROLLED_BACK";
  public static final String REPROFILE_WAITING = "REPROFILE_WAITING";
  public static final String REPROFILE_FAILED = "REPROFILE_FAILED";

  // The sidecar's own record.
  public static final String RECORD_UNREADABLE = "RECORD_UNREADABLE";
  public static final String RECORD_READ = "RECORD_READ";
  public static final String RECORD_SECTION_QUARANTINED = "RECORD_SECTION_QUARANTINED";
  public static final String RECORD_CONFLICT = "RECORD_CONFLICT";
  public static final String RECORD_WRITE_FAILED = "RECORD_WRITE_FAILED";
  public static final String RECORD_WRITTEN_AGAIN = "RECORD_WRITTEN_AGAIN";
  public static final String RECORD_OVER_BUDGET = "RECORD_OVER_BUDGET";
}
