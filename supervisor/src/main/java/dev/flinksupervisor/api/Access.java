package dev.flinksupervisor.api;

import dev.flinksupervisor.store.RecordState;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.Leadership;
import dev.flinksupervisor.supervision.Role;
import io.javalin.http.Context;

/**
 * Checks before an action: the caller is an operator, this sidecar is the ACTIVE one, and it has
 * read and merged its record since it became ACTIVE (until then nothing may be recorded or done).
 */
final class Access {
  private final ClusterState state;
  private final RecordState record;

  Access(ClusterState state, RecordState record) {
    this.state = state;
    this.record = record;
  }

  void requireOperatorOnActive(Context ctx) {
    ApiRole role = ctx.attribute(BearerTokenAuth.ROLE);
    if (role != ApiRole.OPERATOR) {
      throw new ProblemException(
          Problem.of(
              403,
              "forbidden",
              "Forbidden",
              "This call changes the cluster; it needs an operator token."));
    }
    Leadership leadership = state.snapshot().leadership();
    if (leadership.role() != Role.ACTIVE) {
      String leader =
          leadership
              .leader()
              .map(l -> "the one beside the leading JobManager " + l.restUrl())
              .orElse("none: no JobManager leads at the moment");
      throw new ProblemException(
          Problem.of(
              409,
              "standby",
              "This sidecar is on standby",
              "Only the ACTIVE sidecar acts; the active one is " + leader + "."));
    }
    if (!record.canAct()) {
      throw new ProblemException(
              Problem.of(
                  503,
                  "record-unavailable",
                  "The sidecar's record is not read yet",
                  record
                          .status()
                          .problem()
                          .orElse(
                              "The sidecar just became ACTIVE and is reading its record before"
                                  + " it acts.")
                      + " Nothing was done."))
          .retryAfter(5);
    }
  }
}
