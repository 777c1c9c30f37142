package dev.flinksupervisor.api;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.savepoints.BlackoutWindow;
import dev.flinksupervisor.savepoints.SavepointOrigin;
import dev.flinksupervisor.savepoints.SavepointPolicy;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.supervision.ClusterState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Savepoints, stop and savepoint policy of a job, under {@code /api/v1/jobs/{jobId}}. */
final class SavepointRoutes {
  private final SavepointService savepoints;
  private final ClusterState state;
  private final Access access;

  SavepointRoutes(SavepointService savepoints, ClusterState state, Access access) {
    this.savepoints = savepoints;
    this.state = state;
    this.access = access;
  }

  /** {@code POST .../savepoints}: both fields optional. */
  record SavepointRequest(String targetDirectory, Format formatType) {}

  /** {@code POST .../stop}: stop with a savepoint (default), or cancel when savepoint is false. */
  record StopRequest(Boolean savepoint, Boolean drain, String targetDirectory, Format formatType) {}

  /**
   * A savepoint record and, for a completed one not yet disposed of, the retention rules that keep
   * it ({@code newest}, {@code restored}, {@code last}, {@code within}, {@code hourly}, {@code
   * daily}, {@code weekly}, {@code monthly}; none: it goes at the next pass).
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record SavepointJson(
      @com.fasterxml.jackson.annotation.JsonUnwrapped SavepointRecord record,
      List<String> retainedBy) {}

  record SavepointList(List<SavepointJson> savepoints) {}

  /** Retention as JSON; omitted fields are none. */
  record KeepJson(Duration within, Integer hourly, Integer daily, Integer weekly, Integer monthly) {
    static KeepJson of(SavepointPolicy.Keep k) {
      return new KeepJson(k.within(), k.hourly(), k.daily(), k.weekly(), k.monthly());
    }

    SavepointPolicy.Keep toKeep() {
      return new SavepointPolicy.Keep(
          within,
          hourly == null ? 0 : hourly,
          daily == null ? 0 : daily,
          weekly == null ? 0 : weekly,
          monthly == null ? 0 : monthly);
    }
  }

  /** The cancellation is handed to the job's lane; the job's status and events tell the outcome. */
  record Cancelling(String jobId, boolean cancelling) {}

  /** A blackout window as JSON: a Unix cron expression, a duration (ISO-8601) and a zone. */
  record BlackoutJson(String cron, Duration duration, String zone) {}

  /** The policy as JSON; durations in ISO-8601 ({@code PT1H}, {@code P7D}). */
  record PolicyJson(
      Duration interval,
      String cron,
      List<BlackoutJson> blackouts,
      Integer retainCount,
      Duration retainAge,
      Boolean onShutdown,
      Boolean paused,
      Duration jitter,
      SavepointPolicy.CatchUp catchUp,
      KeepJson keep) {

    static PolicyJson of(SavepointPolicy p) {
      return new PolicyJson(
          p.interval(),
          p.cron(),
          p.blackouts().stream()
              .map(b -> new BlackoutJson(b.cron(), b.duration(), b.zone().getId()))
              .toList(),
          p.retainCount(),
          p.retainAge(),
          p.onShutdown(),
          p.paused(),
          p.jitter(),
          p.catchUp(),
          KeepJson.of(p.keep()));
    }

    SavepointPolicy toPolicy(SavepointPolicy defaults) {
      try {
        return new SavepointPolicy(
            interval,
            cron,
            blackouts == null
                ? defaults.blackouts()
                : blackouts.stream()
                    .map(b -> new BlackoutWindow(b.cron(), b.duration(), ZoneId.of(b.zone())))
                    .toList(),
            retainCount == null ? defaults.retainCount() : retainCount,
            retainAge == null ? defaults.retainAge() : retainAge,
            onShutdown == null ? defaults.onShutdown() : onShutdown,
            paused == null ? defaults.paused() : paused,
            jitter == null ? defaults.jitter() : jitter,
            catchUp == null ? defaults.catchUp() : catchUp,
            keep == null ? defaults.keep() : keep.toKeep());
      } catch (RuntimeException e) {
        throw new ProblemException(
            Problem.of(422, "invalid-policy", "Invalid savepoint policy", e.getMessage()));
      }
    }
  }

  void register(RoutesConfig routes, String api) {
    String job = api + "/jobs/{jobId}";
    routes.post(job + "/savepoints", this::trigger);
    routes.post(job + "/savepoints/register", this::register);
    routes.get(job + "/savepoints", this::list);
    routes.get(job + "/savepoints/{id}", this::one);
    routes.delete(job + "/savepoints/{id}", this::dispose);
    routes.post(job + "/stop", this::stop);
    routes.get(job + "/savepoint-policy", this::policy);
    routes.put(job + "/savepoint-policy", this::setPolicy);
    routes.post(job + "/savepoint-policy/pause", ctx -> pause(ctx, true));
    routes.post(job + "/savepoint-policy/resume", ctx -> pause(ctx, false));
  }

  private void trigger(Context ctx) {
    SavepointRequest request =
        RequestBodies.read(ctx, SavepointRequest.class, new SavepointRequest(null, null));
    String target = RequestBodies.targetDirectory(request.targetDirectory());
    access.requireOperatorOnActive(ctx);
    SavepointRecord record =
        Refusals.answer(
            () ->
                savepoints.request(
                    ctx.pathParam("jobId"), target, request.formatType(), SavepointOrigin.MANUAL));
    accepted(ctx, record);
  }

  /** {@code POST .../savepoints/register}: a savepoint taken elsewhere. */
  record RegisterRequest(String path) {}

  private void register(Context ctx) {
    RegisterRequest request = RequestBodies.read(ctx, RegisterRequest.class, null);
    access.requireOperatorOnActive(ctx);
    String jobId = ctx.pathParam("jobId");
    if (savepoints.ofJob(jobId).isEmpty()) {
      requireKnownJob(jobId);
    }
    String path = request == null ? null : request.path();
    if (path == null
        || path.isBlank()
        || path.contains("..")
        || !(path.startsWith("/") || path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.+"))) {
      throw ProblemException.badRequest(
          "path",
          "Send {\"path\": \"<the savepoint's directory>\"}, an absolute path or URI such as"
              + " s3://bucket/savepoints/savepoint-1a2b3c.");
    }
    SavepointRecord record = Refusals.answer(() -> savepoints.register(jobId, path));
    accepted(ctx, record);
  }

  /** 202 with the record to poll, and where it is. */
  private static void accepted(Context ctx, SavepointRecord record) {
    ctx.header("Location", AdminApi.API + "/jobs/" + record.jobId() + "/savepoints/" + record.id());
    ctx.status(202).json(record);
  }

  private void list(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    List<SavepointRecord> records = savepoints.ofJob(jobId);
    if (records.isEmpty()) {
      requireKnownJob(jobId);
    }
    Map<String, List<String>> kept = savepoints.retainedBy(jobId);
    ctx.json(
        new SavepointList(
            records.stream().map(r -> new SavepointJson(r, kept.get(r.id()))).toList()));
  }

  private void one(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    String id = ctx.pathParam("id");
    ctx.json(
        savepoints
            .get(jobId, id)
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "Savepoint", "Job " + jobId + " has no savepoint '" + id + "'.")));
  }

  private void dispose(Context ctx) {
    access.requireOperatorOnActive(ctx);
    accepted(
        ctx,
        Refusals.answer(() -> savepoints.dispose(ctx.pathParam("jobId"), ctx.pathParam("id"))));
  }

  private void stop(Context ctx) {
    StopRequest request =
        RequestBodies.read(ctx, StopRequest.class, new StopRequest(null, null, null, null));
    String target = RequestBodies.targetDirectory(request.targetDirectory());
    access.requireOperatorOnActive(ctx);
    String jobId = ctx.pathParam("jobId");
    if (Boolean.FALSE.equals(request.savepoint())) {
      if (request.drain() != null || target != null || request.formatType() != null) {
        throw ProblemException.badRequest(
            "savepoint", "drain, targetDirectory and formatType need savepoint: true.");
      }
      Refusals.answer(
          () -> {
            savepoints.cancel(jobId);
            return null;
          });
      ctx.header("Location", AdminApi.API + "/jobs/" + jobId);
      ctx.status(202).json(new Cancelling(jobId, true));
      return;
    }
    boolean drain = Boolean.TRUE.equals(request.drain());
    accepted(
        ctx,
        Refusals.answer(
            () -> savepoints.stopWithSavepoint(jobId, target, drain, request.formatType())));
  }

  private void policy(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    requireKnownJob(jobId);
    ctx.json(PolicyJson.of(savepoints.policyOf(jobId)));
  }

  private void setPolicy(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    PolicyJson body = RequestBodies.read(ctx, PolicyJson.class, null);
    if (body == null) {
      throw ProblemException.badRequest(null, "Send the policy as a JSON object.");
    }
    access.requireOperatorOnActive(ctx);
    requireKnownJob(jobId);
    SavepointPolicy policy = body.toPolicy(savepoints.policyOf(jobId));
    Refusals.answer(
        () -> {
          savepoints.setPolicy(jobId, policy);
          return policy;
        });
    ctx.json(PolicyJson.of(policy));
  }

  /** Pauses or resumes the job's scheduled savepoints; the rest of its policy stays. */
  private void pause(Context ctx, boolean pause) {
    String jobId = ctx.pathParam("jobId");
    access.requireOperatorOnActive(ctx);
    requireKnownJob(jobId);
    SavepointPolicy policy = savepoints.policyOf(jobId).withPaused(pause);
    Refusals.answer(
        () -> {
          savepoints.setPolicy(jobId, policy);
          return policy;
        });
    ctx.json(PolicyJson.of(policy));
  }

  private void requireKnownJob(String jobId) {
    if (!state.snapshot().jobs().containsKey(jobId)) {
      throw ProblemException.notFound("Job", "No job with id '" + jobId + "' is known.");
    }
  }
}
