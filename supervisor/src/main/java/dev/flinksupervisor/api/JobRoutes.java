package dev.flinksupervisor.api;

import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.JobService.Refused;
import dev.flinksupervisor.jobs.JobSpec;
import dev.flinksupervisor.jobs.OwnedJob;
import dev.flinksupervisor.jobs.RecoveryPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Submitting, restarting and describing the jobs the sidecar runs. */
final class JobRoutes {
  private final JobService jobs;
  private final Access access;

  JobRoutes(JobService jobs, Access access) {
    this.jobs = jobs;
    this.access = access;
  }

  /** {@code recovery} as JSON; omitted fields take the defaults shown. */
  record RecoveryJson(
      RecoveryPolicy.Mode mode, Integer maxAttempts, Duration backoff, Duration maxStateAge) {
    RecoveryPolicy toPolicy() {
      try {
        return new RecoveryPolicy(
            mode == null ? RecoveryPolicy.Mode.NONE : mode,
            maxAttempts == null ? 3 : maxAttempts,
            backoff == null ? Duration.ofSeconds(10) : backoff,
            maxStateAge == null ? Duration.ofDays(1) : maxStateAge);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(
            Problem.of(422, "invalid-recovery", "Invalid recovery policy", e.getMessage())
                .withField("recovery"));
      }
    }
  }

  /** {@code POST /api/v1/jobs}. */
  record SubmitRequest(
      String jarPath,
      String entryClass,
      List<String> args,
      Integer parallelism,
      String restorePath,
      Boolean allowNonRestoredState,
      RecoveryJson recovery,
      java.util.Map<String, String> slotProfiles) {}

  void register(RoutesConfig routes, String api) {
    routes.post(api + "/jobs", this::submit);
    routes.get(api + "/jobs/{jobId}/spec", this::spec);
    routes.post(api + "/jobs/{jobId}/restart", this::restart);
  }

  private void submit(Context ctx) {
    SubmitRequest r = RequestBodies.read(ctx, SubmitRequest.class, null);
    if (r == null) {
      throw ProblemException.badRequest(null, "Send the job as a JSON object.");
    }
    String restore =
        r.restorePath() == null ? null : RequestBodies.path("restorePath", r.restorePath());
    JobSpec spec =
        new JobSpec(
            r.jarPath(),
            r.entryClass(),
            r.args() == null ? List.of() : List.copyOf(r.args()),
            r.parallelism(),
            restore,
            Boolean.TRUE.equals(r.allowNonRestoredState()),
            r.recovery() == null ? RecoveryPolicy.NONE : r.recovery().toPolicy(),
            r.slotProfiles());
    access.requireOperatorOnActive(ctx);
    ctx.status(202).json(refusals(() -> jobs.submit(spec)));
  }

  private void spec(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    ctx.json(
        jobs.get(jobId)
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "Job", "Job " + jobId + " was not submitted by this sidecar.")));
  }

  private void restart(Context ctx) {
    access.requireOperatorOnActive(ctx);
    OwnedJob restarted = refusals(() -> jobs.restart(ctx.pathParam("jobId")));
    ctx.status(202).json(restarted);
  }

  private static <T> T refusals(Supplier<T> action) {
    try {
      return action.get();
    } catch (Refused e) {
      Problem p =
          switch (e.kind()) {
            case BAD_INPUT -> Problem.of(400, "bad-request", "Bad request", e.getMessage());
            case UNKNOWN_JOB -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case CONFLICT -> Problem.of(409, "conflict", "Conflict", e.getMessage());
            case NOT_POSSIBLE -> Problem.of(422, "not-possible", "Not possible", e.getMessage());
          };
      throw new ProblemException(e.field() == null ? p : p.withField(e.field()));
    }
  }
}
