package dev.flinksupervisor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinksupervisor.api.ApiModel.Freshness;
import dev.flinksupervisor.api.ApiModel.JobJson;
import dev.flinksupervisor.api.ApiModel.JobListJson;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The job views as served, with a weak entity tag each so that a client polling the admin API gets
 * {@code 304 Not Modified} while nothing it could act on has changed.
 *
 * <p>The tag covers what a job is (status, times, restarts, checkpoints, health, last failure) and
 * whether the view is stale, not what only says how old it is: {@code durationMs}, which grows with
 * every poll of a running job, and the {@code freshness} block, which comes with every answer.
 * Hence a weak tag ({@code W/"…"}): two bodies with the same tag are equivalent, not byte for byte
 * the same.
 *
 * <p>The job list of a fresh snapshot is serialised once per snapshot the supervision loop
 * publishes (at most once a poll), and every request in between is answered from those bytes.
 */
final class ConditionalViews {
  /** A body ready to send and its tag. */
  record Rendered(byte[] body, String etag) {}

  private record Cached(ClusterSnapshot snapshot, byte[] jobs, String etag) {}

  private final ObjectMapper mapper;
  private volatile Cached jobList;

  ConditionalViews(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code GET /api/v1/jobs}: {@code {"jobs": [...], "freshness": {...}}}. */
  Rendered jobList(ClusterSnapshot snapshot, Freshness freshness) {
    Cached cached = jobList;
    if (cached == null || cached.snapshot() != snapshot || freshness.stale()) {
      // A stale snapshot's health says how stale it is, so its list is not kept.
      List<JobJson> jobs = JobListJson.of(snapshot, freshness).jobs();
      cached =
          new Cached(
              snapshot,
              bytes(jobs),
              freshness.stale() ? tag(List.of("stale", etag(jobs))) : etag(jobs));
      if (!freshness.stale()) {
        jobList = cached;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(cached.jobs().length + 96);
    body.writeBytes("{\"jobs\":".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(cached.jobs());
    body.writeBytes(",\"freshness\":".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes(freshness));
    body.write('}');
    return new Rendered(body.toByteArray(), cached.etag());
  }

  /**
   * A single job's view: {@code body}, tagged by {@code job} without its duration and its slots.
   */
  Rendered job(JobJson job, Object slots, Object body) {
    return new Rendered(bytes(body), tag(java.util.Arrays.asList(withoutDuration(job), slots)));
  }

  /**
   * Whether an {@code If-None-Match} header names {@code etag}: {@code *}, or one of its
   * comma-separated tags by weak comparison (RFC 9110, 13.1.2).
   */
  static boolean notModified(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    String opaque = opaque(etag);
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || opaque(t).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  private String etag(List<JobJson> jobs) {
    return tag(jobs.stream().map(ConditionalViews::withoutDuration).toList());
  }

  private String tag(Object timeless) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes(timeless));
      return "W/\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static JobJson withoutDuration(JobJson j) {
    return new JobJson(
        j.id(),
        j.name(),
        j.status(),
        j.startTime(),
        j.endTime(),
        0,
        j.restarts(),
        j.lastCheckpoint(),
        j.restorable(),
        j.health(),
        j.lastFailure(),
        j.checkpointing());
  }

  private byte[] bytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
