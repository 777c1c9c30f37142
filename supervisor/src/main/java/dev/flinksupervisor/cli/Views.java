package dev.flinksupervisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How the API's answers read at a terminal: tables of jobs and savepoints, the detail of a job and
 * of the cluster, one line per event. Pure functions of the JSON and the time now.
 */
final class Views {
  private static final int SAVEPOINTS_SHOWN = 10;

  private Views() {}

  // ---- jobs ----

  static String jobs(JsonNode list, Instant now) {
    JsonNode jobs = list.path("jobs");
    StringBuilder out = new StringBuilder();
    if (!jobs.isArray() || jobs.isEmpty()) {
      out.append("No jobs.\n");
    } else {
      Table table =
          new Table("ID", "NAME", "STATUS", "HEALTH", "RESTARTS", "LAST CHECKPOINT", "RESTORABLE")
              .alignRight(4);
      for (JsonNode job : jobs) {
        table.row(
            text(job, "id"),
            text(job, "name"),
            text(job, "status"),
            health(job.path("health")),
            text(job, "restarts"),
            ago(text(job.path("lastCheckpoint"), "completedAt"), now),
            restorable(job.path("restorable"), now));
      }
      out.append(table.render());
    }
    stale(out, list.path("freshness"));
    return out.toString();
  }

  /** {@code HEALTHY}, or {@code DEGRADED (CHECKPOINTS_FAILING, ...)} with the reasons' codes. */
  static String health(JsonNode health) {
    String verdict = text(health, "verdict");
    if (verdict == null) {
      return null;
    }
    List<String> codes = new ArrayList<>();
    for (JsonNode r : health.path("reasons")) {
      String code = text(r, "code");
      if (code != null) {
        codes.add(code);
      }
    }
    return codes.isEmpty() ? verdict : verdict + " (" + String.join(", ", codes) + ")";
  }

  /** {@code checkpoint 42 (3s ago)}, {@code savepoint 7 (2h ago)} or {@code no}. */
  static String restorable(JsonNode r, Instant now) {
    if (r.isMissingNode() || r.isNull() || !r.has("checkpointId")) {
      return "no";
    }
    String kind = r.path("savepoint").asBoolean() ? "savepoint " : "checkpoint ";
    String age = ago(text(r, "completedAt"), now);
    return kind + r.path("checkpointId").asLong() + (age == null ? "" : " (" + age + ")");
  }

  private static void stale(StringBuilder out, JsonNode freshness) {
    if (freshness.path("stale").asBoolean(false)) {
      String age =
          freshness.hasNonNull("ageMs")
              ? human(Duration.ofMillis(freshness.path("ageMs").asLong()))
              : null;
      out.append("Stale: the JobManager has not answered")
          .append(age == null ? "" : " for " + age)
          .append("; this is what the sidecar saw last.\n");
    }
  }

  // ---- one job ----

  static String job(JsonNode job, JsonNode savepoints, Instant now) {
    Fields f = new Fields();
    f.add("Job", text(job, "id"));
    f.add("Name", text(job, "name"));
    String status = text(job, "status");
    String started = text(job, "startTime");
    String ended = text(job, "endTime");
    if (status != null) {
      StringBuilder s = new StringBuilder(status);
      if (started != null) {
        s.append(", started ")
            .append(time(started))
            .append(" (")
            .append(ago(started, now))
            .append(')');
      }
      if (ended != null) {
        s.append(", ended ").append(time(ended));
      }
      f.add("Status", s.toString());
    }
    JsonNode health = job.path("health");
    f.add("Health", text(health, "verdict"));
    for (JsonNode r : health.path("reasons")) {
      f.add(
          "",
          "- "
              + nvl(text(r, "verdict"), "")
              + " "
              + nvl(text(r, "code"), "")
              + ": "
              + nvl(text(r, "message"), ""));
    }
    f.add("Restarts", text(job, "restarts"));
    JsonNode cp = job.path("lastCheckpoint");
    if (cp.has("id")) {
      f.add(
          "Last checkpoint",
          (cp.path("savepoint").asBoolean() ? "savepoint " : "")
              + cp.path("id").asLong()
              + ", "
              + nvl(ago(text(cp, "completedAt"), now), "time unknown")
              + (text(cp, "path") == null ? "" : ", " + text(cp, "path")));
    } else {
      f.add("Last checkpoint", "none");
    }
    JsonNode r = job.path("restorable");
    f.add(
        "Restorable",
        restorable(r, now)
            + (text(r, "source") == null ? "" : ", from " + text(r, "source"))
            + (text(r, "path") == null ? "" : ", " + text(r, "path")));
    JsonNode failure = job.path("lastFailure");
    if (failure.isObject() && failure.size() > 0) {
      f.add(
          "Last failure",
          nvl(time(text(failure, "time")), "")
              + (text(failure, "task") == null ? "" : " in " + text(failure, "task")));
      if (text(failure, "rootCause") != null) {
        f.add("", "root cause: " + firstLine(text(failure, "rootCause")));
      }
      if (text(failure, "exception") != null) {
        f.add("", "exception: " + firstLine(text(failure, "exception")));
      }
      JsonNode labels = failure.path("labels");
      if (labels.isObject() && labels.size() > 0) {
        f.add("", "labels: " + pairs(labels));
      }
    }
    JsonNode c = job.path("checkpointing");
    if (c.isObject() && c.size() > 0) {
      f.add(
          "Checkpointing",
          "every "
              + nvl(iso(text(c, "interval")), "?")
              + ", timeout "
              + nvl(iso(text(c, "timeout")), "?")
              + ", min pause "
              + nvl(iso(text(c, "minPause")), "0s")
              + ", tolerable failures "
              + c.path("tolerableFailures").asInt());
    }
    slots(f, job.path("slots"));
    StringBuilder out = new StringBuilder(f.render());
    out.append('\n').append(savepoints(savepoints, now));
    stale(out, job.path("freshness"));
    return out.toString();
  }

  private static void slots(Fields f, JsonNode slots) {
    if (!slots.isObject()) {
      return;
    }
    JsonNode requested = slots.path("requested");
    if (requested.isObject() && requested.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = requested.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode res = e.getValue().path("resources");
        f.add(
            f.has("Requested slots") ? "" : "Requested slots",
            e.getKey()
                + " = "
                + nvl(text(e.getValue(), "profile"), "?")
                + (res.isObject()
                    ? " (cpu "
                        + number(res.path("cpuCores"))
                        + ", task heap "
                        + nvl(text(res, "taskHeap"), "-")
                        + (text(res, "managedMemory") == null
                            ? ""
                            : ", managed " + text(res, "managedMemory"))
                        + ")"
                    : ""));
      }
    }
    JsonNode allocated = slots.path("allocated");
    if (allocated.isArray()) {
      f.add("Allocated slots", allocated.isEmpty() ? "none" : String.valueOf(allocated.size()));
      for (JsonNode s : allocated) {
        f.add(
            "",
            "- "
                + nvl(text(s, "taskManagerId"), "?")
                + ": cpu "
                + number(s.path("cpuCores"))
                + ", task heap "
                + s.path("taskHeapMb").asLong()
                + " MiB, off-heap "
                + s.path("taskOffHeapMb").asLong()
                + " MiB, managed "
                + s.path("managedMb").asLong()
                + " MiB"
                + (s.path("extended").isObject() && s.path("extended").size() > 0
                    ? ", " + pairs(s.path("extended"))
                    : ""));
      }
    }
    if (text(slots, "allocatedError") != null) {
      f.add(f.has("Allocated slots") ? "" : "Allocated slots", text(slots, "allocatedError"));
    }
  }

  /** The job's savepoints, newest first, at most ten. */
  static String savepoints(JsonNode list, Instant now) {
    JsonNode savepoints = list.path("savepoints");
    if (!savepoints.isArray() || savepoints.isEmpty()) {
      return "Savepoints: none\n";
    }
    Table table = new Table("SAVEPOINT", "STATE", "ORIGIN", "REQUESTED", "PATH OR ERROR");
    int shown = 0;
    for (JsonNode s : savepoints) {
      if (shown++ == SAVEPOINTS_SHOWN) {
        break;
      }
      String state = text(s, "state");
      if (s.path("disposed").asBoolean(false)) {
        state = state + " (disposed)";
      }
      String pathOrError = text(s, "error") != null ? text(s, "error") : text(s, "path");
      table.row(
          text(s, "id"), state, text(s, "origin"), ago(text(s, "requestedAt"), now), pathOrError);
    }
    String more =
        savepoints.size() > SAVEPOINTS_SHOWN
            ? "(" + (savepoints.size() - SAVEPOINTS_SHOWN) + " older ones: --output json)\n"
            : "";
    return "Savepoints:\n" + table.render() + more;
  }

  // ---- the cluster ----

  static String cluster(JsonNode c, Instant now) {
    Fields f = new Fields();
    f.add(
        "Cluster",
        nvl(text(c, "clusterId"), "?")
            + (text(c, "namespace") == null ? "" : " (namespace " + text(c, "namespace") + ")"));
    String role = text(c, "role");
    f.add(
        "Role",
        role == null
            ? null
            : role + (text(c, "roleSince") == null ? "" : " since " + time(text(c, "roleSince"))));
    JsonNode leader = c.path("leader");
    f.add(
        "Leader",
        text(leader, "restUrl") == null
            ? "none"
            : text(leader, "restUrl")
                + (text(leader, "since") == null ? "" : " since " + time(text(leader, "since")))
                + " ("
                + c.path("leaderChanges").asInt()
                + (c.path("leaderChanges").asInt() == 1 ? " change)" : " changes)"));
    f.add("Flink", text(c, "flinkVersion"));
    if (c.has("taskManagers") || c.has("slots")) {
      JsonNode slots = c.path("slots");
      f.add(
          "TaskManagers",
          c.path("taskManagers").asInt()
              + (slots.isObject()
                  ? ", slots "
                      + slots.path("available").asInt()
                      + " free of "
                      + slots.path("total").asInt()
                  : ""));
    }
    JsonNode record = c.path("record");
    if (record.isObject()) {
      StringBuilder r = new StringBuilder(nvl(text(record, "where"), "record"));
      r.append(record.path("loaded").asBoolean() ? ", read" : ", NOT READ");
      r.append(", ")
          .append(kib(record.path("bytes").asLong()))
          .append(" of ")
          .append(kib(record.path("capacityBytes").asLong()));
      if (record.path("overBudget").asBoolean()) {
        r.append(", OVER BUDGET");
      }
      if (text(record, "lastWrite") != null) {
        r.append(", written ").append(ago(text(record, "lastWrite"), now));
      }
      if (record.path("conflicts").asLong() > 0) {
        r.append(", ").append(record.path("conflicts").asLong()).append(" conflicts merged");
      }
      f.add("Record", r.toString());
      if (text(record, "problem") != null) {
        f.add("", "problem: " + text(record, "problem"));
      }
      if (text(record, "lastError") != null) {
        f.add("", "last error: " + text(record, "lastError"));
      }
      if (record.path("quarantined").isArray() && !record.path("quarantined").isEmpty()) {
        List<String> keys = new ArrayList<>();
        record.path("quarantined").forEach(k -> keys.add(k.asText()));
        f.add("", "kept aside: " + String.join(", ", keys));
      }
    }
    JsonNode jm = c.path("jobManagerContainer");
    if (jm.isObject() && jm.size() > 0) {
      StringBuilder s = new StringBuilder(nvl(text(jm, "state"), "state unknown"));
      s.append(", ").append(jm.path("restarts").asInt()).append(" restarts");
      JsonNode t = jm.path("lastTermination");
      if (t.isObject()) {
        s.append(", last ended ")
            .append(nvl(text(t, "reason"), "?"))
            .append(" (exit code ")
            .append(t.path("exitCode").asInt())
            .append(')')
            .append(text(t, "at") == null ? "" : " " + ago(text(t, "at"), now));
      }
      f.add("JobManager", s.toString());
    }
    JsonNode health = c.path("health");
    f.add("Health", text(health, "verdict"));
    for (JsonNode reason : health.path("reasons")) {
      f.add("", "- " + nvl(text(reason, "code"), "") + ": " + nvl(text(reason, "message"), ""));
    }
    f.add("Last error", text(c, "lastError"));
    StringBuilder out = new StringBuilder(f.render());
    stale(out, c.path("freshness"));
    return out.toString();
  }

  // ---- events ----

  /** {@code 2026-05-01T10:00:00Z WARNING SAVEPOINT_FAILED <job> message (x3)}. */
  static String event(JsonNode e) {
    int count = e.path("count").asInt(1);
    return String.format(
            "%-20s  %-7s  %-24s  %s  %s%s",
            nvl(time(text(e, "time")), "-"),
            nvl(text(e, "severity"), "-"),
            nvl(text(e, "type"), "-"),
            nvl(text(e, "jobId"), "-"),
            Problems.oneLine(nvl(text(e, "message"), "")),
            count > 1 ? " (x" + count + ")" : "")
        .stripTrailing();
  }

  /** The events oldest first, as a log reads (the API lists them newest first). */
  static String events(JsonNode list) {
    JsonNode events = list.path("events");
    if (!events.isArray() || events.isEmpty()) {
      return "No events.\n";
    }
    StringBuilder out = new StringBuilder();
    for (int i = events.size() - 1; i >= 0; i--) {
      out.append(event(events.get(i))).append('\n');
    }
    return out.toString();
  }

  // ---- helpers ----

  /** {@code 850ms}, {@code 12s}, {@code 5m12s}, {@code 3h05m}, {@code 2d03h}. */
  static String human(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long s = d.toSeconds();
    if (s < 1 && d.toMillis() > 0) {
      return d.toMillis() + "ms";
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : String.format("%02ds", s % 60));
    }
    if (s < 86400) {
      return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
    return (s / 86400) + "d" + String.format("%02dh", (s % 86400) / 3600);
  }

  /** {@code 12s ago} for an ISO instant, or null when there is none. */
  static String ago(String instant, Instant now) {
    Instant then = instant(instant);
    return then == null
        ? null
        : human(Duration.between(then, now).truncatedTo(ChronoUnit.SECONDS)) + " ago";
  }

  /** An ISO instant to the second ({@code 2026-05-01T10:00:00Z}); other text as it is. */
  static String time(String instant) {
    Instant t = instant(instant);
    return t == null ? instant : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** An ISO-8601 duration ({@code PT2S}) as {@code 2s}. */
  private static String iso(String text) {
    if (text == null) {
      return null;
    }
    try {
      return human(Duration.parse(text));
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  private static String kib(long bytes) {
    return bytes < 1024 ? bytes + " B" : (bytes + 512) / 1024 + " KiB";
  }

  private static String number(JsonNode n) {
    if (!n.isNumber()) {
      return "?";
    }
    double d = n.asDouble();
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String pairs(JsonNode object) {
    List<String> pairs = new ArrayList<>();
    object.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(", ", pairs);
  }

  private static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("");
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  private static String nvl(String s, String fallback) {
    return s == null ? fallback : s;
  }

  /** Labels and values, the values lined up; an empty label continues the one before. */
  static final class Fields {
    private final List<String[]> rows = new ArrayList<>();

    void add(String label, String value) {
      if (value != null) {
        rows.add(new String[] {label, value});
      }
    }

    boolean has(String label) {
      return rows.stream().anyMatch(r -> r[0].equals(label));
    }

    String render() {
      int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      StringBuilder out = new StringBuilder();
      for (String[] r : rows) {
        String label = r[0].isEmpty() ? "" : r[0] + ":";
        out.append(label)
            .append(" ".repeat(width + 3 - label.length()))
            .append(Problems.oneLine(r[1]))
            .append('\n');
      }
      return out.toString();
    }
  }
}
