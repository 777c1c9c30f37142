package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.Leader;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns REST-leader notifications into the sidecar's leadership state (leader, role, since when,
 * how many changes) and into leader-change events.
 */
public final class LeadershipTracker {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipTracker.class);

  private final ClusterState state;
  private final EventLog events;
  private final RolePolicy rolePolicy;
  private final Clock clock;

  public LeadershipTracker(
      ClusterState state, EventLog events, RolePolicy rolePolicy, Clock clock) {
    this.state = state;
    this.events = events;
    this.rolePolicy = rolePolicy;
    this.clock = clock;
    Role initial = rolePolicy.roleFor(Optional.empty());
    state.update(s -> s.withLeadership(s.leadership().withRole(initial, clock.instant())));
  }

  public void onLeaderChange(Optional<Leader> leader) {
    Role role = rolePolicy.roleFor(leader);
    ClusterSnapshot before = state.snapshot();
    state.update(
        s -> {
          Leadership l = s.leadership().withLeader(leader);
          if (l.role() != role) {
            l = l.withRole(role, clock.instant());
          }
          return s.withLeadership(l);
        });
    String previousUrl = before.leadership().leader().map(Leader::restUrl).orElse("none");
    String nextUrl = leader.map(Leader::restUrl).orElse("none");
    if (leader.isPresent()) {
      events.record(
          EventTypes.LEADER_CHANGED,
          Severity.INFO,
          null,
          "The leading JobManager is now " + nextUrl + " (was " + previousUrl + ")");
    } else {
      events.record(
          EventTypes.LEADER_LOST,
          Severity.WARNING,
          null,
          "No JobManager leads (was " + previousUrl + ")");
    }
    if (before.leadership().role() != role) {
      LOG.info("Role changed: {} -> {}", before.leadership().role(), role);
      events.record(
          EventTypes.ROLE_CHANGED,
          Severity.INFO,
          null,
          "This sidecar is now " + role + " (was " + before.leadership().role() + ")");
    }
  }
}
