package dev.flinksupervisor.api;

import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.HealthThresholds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;

/** A job's health thresholds, under {@code /api/v1/jobs/{jobId}/health-thresholds}. */
final class HealthRoutes {
  private final HealthPolicies policies;
  private final ClusterState state;
  private final Access access;

  HealthRoutes(HealthPolicies policies, ClusterState state, Access access) {
    this.policies = policies;
    this.state = state;
    this.access = access;
  }

  /**
   * Thresholds as JSON; durations in ISO-8601, omitted fields keep the current value. A {@code
   * checkpointWindow} of {@code PT0S} (or none shown) follows the job's own checkpoint settings; a
   * {@code savepointFreshness} of {@code PT0S} (or none shown) is not judged.
   */
  record ThresholdsJson(
      Integer restartLimit,
      Duration restartWindow,
      Duration checkpointWindow,
      Integer checkpointFailureLimit,
      Duration stuckAfter,
      Duration savepointFreshness) {

    static ThresholdsJson of(HealthThresholds t) {
      return new ThresholdsJson(
          t.restartLimit(),
          t.restartWindow(),
          t.checkpointWindow(),
          t.checkpointFailureLimit(),
          t.stuckAfter(),
          t.savepointFreshness());
    }

    /** The current value if omitted; none (null) for zero. */
    private static Duration unsetByZero(Duration given, Duration current) {
      if (given == null) {
        return current;
      }
      return given.isZero() ? null : given;
    }

    HealthThresholds over(HealthThresholds current) {
      try {
        return new HealthThresholds(
            restartLimit == null ? current.restartLimit() : restartLimit,
            restartWindow == null ? current.restartWindow() : restartWindow,
            unsetByZero(checkpointWindow, current.checkpointWindow()),
            checkpointFailureLimit == null
                ? current.checkpointFailureLimit()
                : checkpointFailureLimit,
            stuckAfter == null ? current.stuckAfter() : stuckAfter,
            unsetByZero(savepointFreshness, current.savepointFreshness()));
      } catch (IllegalArgumentException e) {
        throw new ProblemException(
            Problem.of(422, "invalid-thresholds", "Invalid health thresholds", e.getMessage()));
      }
    }
  }

  void register(RoutesConfig routes, String api) {
    routes.get(api + "/jobs/{jobId}/health-thresholds", this::get);
    routes.put(api + "/jobs/{jobId}/health-thresholds", this::put);
  }

  private void get(Context ctx) {
    String jobId = requireKnownJob(ctx);
    ctx.json(ThresholdsJson.of(policies.of(jobId)));
  }

  private void put(Context ctx) {
    ThresholdsJson body = RequestBodies.read(ctx, ThresholdsJson.class, null);
    if (body == null) {
      throw ProblemException.badRequest(null, "Send the thresholds as a JSON object.");
    }
    access.requireOperatorOnActive(ctx);
    String jobId = requireKnownJob(ctx);
    HealthThresholds next = body.over(policies.of(jobId));
    policies.set(jobId, next);
    ctx.json(ThresholdsJson.of(next));
  }

  private String requireKnownJob(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    if (!state.snapshot().jobs().containsKey(jobId)) {
      throw ProblemException.notFound("Job", "No job with id '" + jobId + "' is known.");
    }
    return jobId;
  }
}
