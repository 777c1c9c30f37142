package dev.flinksupervisor.api;

import dev.flinksupervisor.jobs.JobService;
import dev.flinksupervisor.jobs.JobSpec;
import dev.flinksupervisor.jobs.OwnedJob;
import dev.flinksupervisor.jobs.RecoveryPolicy;
import dev.flinksupervisor.jobs.Reprofile;
import dev.flinksupervisor.jobs.Reprofiler;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Submitting, restarting, re-profiling and describing the jobs the sidecar runs. */
final class JobRoutes {
  private final dev.flinksupervisor.jobs.Recovery recovery;
  private final JobService jobs;
  private final Reprofiler reprofiler;
  private final Access access;
  private final long maxUploadBytes;

  JobRoutes(
      JobService jobs,
      dev.flinksupervisor.jobs.Recovery recovery,
      Reprofiler reprofiler,
      Access access,
      long maxUploadBytes) {
    this.recovery = recovery;
    this.jobs = jobs;
    this.reprofiler = reprofiler;
    this.access = access;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** {@code recovery} as JSON; omitted fields take the defaults shown. */
  record RecoveryJson(
      RecoveryPolicy.Mode mode,
      Integer maxAttempts,
      Duration backoff,
      Duration maxStateAge,
      RecoveryPolicy.RestoreStrategy restoreFrom) {
    RecoveryPolicy toPolicy() {
      try {
        return new RecoveryPolicy(
            mode == null ? RecoveryPolicy.Mode.NONE : mode,
            maxAttempts == null ? 3 : maxAttempts,
            backoff == null ? Duration.ofSeconds(10) : backoff,
            maxStateAge == null ? Duration.ofDays(1) : maxStateAge,
            restoreFrom);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(
            Problem.of(422, "invalid-recovery", "Invalid recovery policy", e.getMessage())
                .withField("recovery"));
      }
    }
  }

  /**
   * {@code POST /api/v1/jobs}: as JSON with {@code jarPath}, or as multipart with the jar in part
   * {@code jar} and this object, without {@code jarPath}, in part {@code spec}.
   */
  record SubmitRequest(
      String jarPath,
      String entryClass,
      List<String> args,
      Integer parallelism,
      String restorePath,
      Boolean allowNonRestoredState,
      RecoveryJson recovery,
      Map<String, String> slotProfiles) {

    JobSpec toSpec(String jar, boolean uploaded) {
      return new JobSpec(
          jar,
          entryClass,
          args == null ? List.of() : List.copyOf(args),
          parallelism,
          restorePath == null ? null : RequestBodies.path("restorePath", restorePath),
          Boolean.TRUE.equals(allowNonRestoredState),
          recovery == null ? RecoveryPolicy.NONE : recovery.toPolicy(),
          slotProfiles,
          uploaded);
    }
  }

  /** {@code PUT .../slot-profiles}: the new mapping, and where the savepoint goes. */
  record ReprofileRequest(Map<String, String> slotProfiles, String targetDirectory) {}

  record ReprofileList(List<Reprofile> reprofiles) {}

  void register(RoutesConfig routes, String api) {
    routes.post(api + "/jobs", this::submit);
    routes.get(api + "/jobs/{jobId}/spec", this::spec);
    routes.post(api + "/jobs/{jobId}/restart", this::restart);
    routes.put(api + "/jobs/{jobId}/slot-profiles", this::reprofile);
    routes.get(api + "/jobs/{jobId}/reprofiles", this::reprofiles);
    routes.get(api + "/jobs/{jobId}/reprofiles/{id}", this::reprofileOne);
  }

  /** The requested profiles and allocated slots of a job, for its description, from memory. */
  JobService.Slots slotsOf(String jobId) {
    return jobs.slotsOf(jobId);
  }

  private void submit(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType != null && contentType.toLowerCase().startsWith("multipart/form-data")) {
      submitUpload(ctx);
      return;
    }
    SubmitRequest r = RequestBodies.read(ctx, SubmitRequest.class, null);
    if (r == null) {
      throw ProblemException.badRequest(null, "Send the job as a JSON object.");
    }
    JobSpec spec = r.toSpec(r.jarPath(), false);
    access.requireOperatorOnActive(ctx);
    submitted(ctx, Refusals.answer(() -> jobs.submit(spec)));
  }

  /** The jar is stored only once the caller may submit and the spec reads well. */
  private void submitUpload(Context ctx) {
    access.requireOperatorOnActive(ctx);
    readParts(ctx);
    String specJson = formText(ctx, "spec");
    if (specJson == null || specJson.isBlank()) {
      throw ProblemException.badRequest(
          "spec", "Send the job's spec as JSON in the form part 'spec'.");
    }
    SubmitRequest r = RequestBodies.parse(specJson, SubmitRequest.class);
    if (r.jarPath() != null) {
      throw ProblemException.badRequest(
          "jarPath", "Give either jarPath or an uploaded jar, not both.");
    }
    UploadedFile jar = ctx.uploadedFile("jar");
    if (jar == null || jar.size() == 0) {
      throw ProblemException.badRequest("jar", "Send the jar in the form part 'jar'.");
    }
    r.toSpec(null, true); // a bad restore path or recovery policy is refused before storing
    String stored;
    try (InputStream content = jar.content()) {
      stored = Refusals.answer(() -> jobs.storeUpload(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JobSpec spec = r.toSpec(stored, true);
    submitted(ctx, Refusals.answer(() -> jobs.submit(spec)));
  }

  /** Reads the multipart body once: too large is 413, unreadable is 400. */
  private void readParts(Context ctx) {
    try {
      ctx.uploadedFileMap();
    } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
      String chain = dev.flinksupervisor.util.Failures.messageChain(e);
      if (chain.contains("max file size") || chain.contains("max request size")) {
        throw new ProblemException(
            Problem.of(
                413,
                "payload-too-large",
                "Payload too large",
                "The uploaded jar is larger than "
                    + maxUploadBytes
                    + " bytes (jobs.max-upload-bytes)."));
      }
      throw ProblemException.badRequest(null, "The multipart body cannot be read: " + chain);
    }
  }

  /** A form part as text, sent as a field ({@code -F spec=...}) or as a file ({@code spec=@f}). */
  private static String formText(Context ctx, String name) {
    String field = ctx.formParam(name);
    if (field != null) {
      return field;
    }
    UploadedFile file = ctx.uploadedFile(name);
    if (file == null) {
      return null;
    }
    try (InputStream in = file.content()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The job's record; a viewer sees its program arguments' values redacted. */
  private void spec(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    OwnedJob job =
        jobs.get(jobId)
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "Job", "Job " + jobId + " was not submitted by this sidecar."));
    boolean operator = ctx.attribute(BearerTokenAuth.ROLE) == ApiRole.OPERATOR;
    ctx.json(operator ? job : job.withArgumentValuesRedacted());
  }

  private void restart(Context ctx) {
    access.requireOperatorOnActive(ctx);
    submitted(ctx, Refusals.answer(() -> recovery.restart(ctx.pathParam("jobId"))));
  }

  /** 202 with the job's record, whose {@code submission} tells when Flink took the run. */
  private static void submitted(Context ctx, OwnedJob job) {
    ctx.header("Location", AdminApi.API + "/jobs/" + job.jobId() + "/spec");
    ctx.status(202).json(job);
  }

  private void reprofile(Context ctx) {
    ReprofileRequest r =
        RequestBodies.read(ctx, ReprofileRequest.class, new ReprofileRequest(null, null));
    access.requireOperatorOnActive(ctx);
    String jobId = ctx.pathParam("jobId");
    Reprofile op =
        Refusals.answer(
            () ->
                reprofiler.request(
                    jobId,
                    r.slotProfiles(),
                    () -> RequestBodies.targetDirectory(r.targetDirectory())));
    ctx.header("Location", AdminApi.API + "/jobs/" + jobId + "/reprofiles/" + op.id());
    ctx.status(202).json(op);
  }

  private void reprofiles(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    List<Reprofile> ops = reprofiler.ofJob(jobId);
    if (ops.isEmpty() && !jobs.knows(jobId)) {
      throw ProblemException.notFound("Job", "No job with id '" + jobId + "' is known.");
    }
    ctx.json(new ReprofileList(ops));
  }

  private void reprofileOne(Context ctx) {
    String jobId = ctx.pathParam("jobId");
    String id = ctx.pathParam("id");
    ctx.json(
        reprofiler.ofJob(jobId).stream()
            .filter(op -> op.id().equals(id))
            .findFirst()
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "Re-profiling", "Job " + jobId + " has no re-profiling '" + id + "'.")));
  }
}
