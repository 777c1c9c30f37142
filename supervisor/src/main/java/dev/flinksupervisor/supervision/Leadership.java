package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.Leader;
import java.time.Instant;
import java.util.Optional;

/**
 * Who leads, and what that makes this sidecar.
 *
 * @param roleSince when the role last changed (or was first decided)
 * @param leaderChanges how many times the leader changed since the sidecar started
 * @param term grows with every change of role: what was read and merged in one ACTIVE term does not
 *     count for the next
 */
public record Leadership(
    Optional<Leader> leader, Role role, Instant roleSince, int leaderChanges, long term) {

  public static final Leadership UNKNOWN =
      new Leadership(Optional.empty(), Role.STANDBY, null, 0, 0);

  public Leadership withLeader(Optional<Leader> next) {
    return new Leadership(next, role, roleSince, leaderChanges + 1, term);
  }

  public Leadership withRole(Role next, Instant at) {
    return new Leadership(leader, next, at, leaderChanges, term + 1);
  }

  /** The ACTIVE term, or -1 while this sidecar is not ACTIVE. */
  public long activeTerm() {
    return role == Role.ACTIVE ? term : -1;
  }
}
