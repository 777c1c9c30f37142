package dev.flinksupervisor.cli;

import static dev.flinksupervisor.cli.ApiClient.segment;
import static dev.flinksupervisor.cli.Views.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** What each command does with the admin API, and what it prints. */
final class Commands {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  static final Duration POLL = Duration.ofMillis(500);
  private static final String API = "/api/v1";
  private static final Set<String> SAVEPOINT_ENDS = Set.of("COMPLETED", "FAILED", "ABANDONED");
  private static final Set<String> REPROFILE_ENDS = Set.of("COMPLETED", "ROLLED_BACK", "FAILED");
  private static final Set<String> JOB_ENDS = Set.of("CANCELED", "FAILED", "FINISHED");

  private final ApiClient api;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final Clock clock;
  private boolean json;

  private volatile boolean stopped;
  private volatile InputStream stream;
  private volatile Thread follower;

  Commands(ApiClient api, PrintStream out, PrintStream err, boolean terminal, Clock clock) {
    this.api = api;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
  }

  int run(Command command, CliArgs args) {
    json = "JSON".equals(args.choice("output", "TABLE", "TABLE", "JSON"));
    return switch (command) {
      case JOBS -> jobs(args);
      case JOB -> job(args);
      case SAVEPOINT -> savepoint(args);
      case STOP -> stop(args);
      case SUBMIT -> submit(args);
      case REPROFILE -> reprofile(args);
      case EVENTS -> events(args);
      case CLUSTER -> cluster(args);
    };
  }

  /** Ends a {@code events --follow}: closes the stream and wakes the thread reading it. */
  void stop() {
    stopped = true;
    InputStream s = stream;
    Thread t = follower;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is all that is wanted
      }
    }
    if (t != null) {
      t.interrupt();
    }
  }

  private int jobs(CliArgs args) {
    args.expectPositionals();
    JsonNode list = api.get(API + "/jobs");
    print(list, () -> Views.jobs(list, clock.instant()));
    return ExitCodes.OK;
  }

  private int job(CliArgs args) {
    args.expectPositionals("ID");
    String id = args.positionals().get(0);
    JsonNode job = api.get(API + "/jobs/" + segment(id));
    JsonNode savepoints = api.get(API + "/jobs/" + segment(id) + "/savepoints");
    ObjectNode both = ApiClient.JSON.createObjectNode();
    both.set("job", job);
    both.set("savepoints", savepoints);
    print(both, () -> Views.job(job, savepoints, clock.instant()));
    return ExitCodes.OK;
  }

  private int cluster(CliArgs args) {
    args.expectPositionals();
    JsonNode cluster = api.get(API + "/cluster");
    print(cluster, () -> Views.cluster(cluster, clock.instant()));
    return ExitCodes.OK;
  }

  private int savepoint(CliArgs args) {
    args.expectPositionals("ID");
    String id = args.positionals().get(0);
    Duration timeout = waitTimeout(args);
    ObjectNode body = ApiClient.JSON.createObjectNode();
    putIfSet(body, "targetDirectory", args.value("target-directory"));
    putIfSet(body, "formatType", format(args));
    JsonNode record = api.post(API + "/jobs/" + segment(id) + "/savepoints", body);
    String sid = text(record, "id");
    if (timeout == null) {
      print(
          record,
          () ->
              "Savepoint "
                  + sid
                  + " of job "
                  + id
                  + " requested ("
                  + text(record, "state")
                  + ").\n");
      return ExitCodes.OK;
    }
    return awaitSavepoint(id, record, timeout, "savepoint " + sid);
  }

  private int stop(CliArgs args) {
    args.expectPositionals("ID");
    String id = args.positionals().get(0);
    Duration timeout = waitTimeout(args);
    boolean savepoint = !args.flag("no-savepoint");
    if (!savepoint && (args.flag("drain") || args.has("target-directory") || args.has("format"))) {
      throw CliException.usage(
          "error: --drain, --target-directory and --format need a savepoint; drop --no-savepoint");
    }
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.put("savepoint", savepoint);
    if (savepoint) {
      body.put("drain", args.flag("drain"));
      putIfSet(body, "targetDirectory", args.value("target-directory"));
      putIfSet(body, "formatType", format(args));
    }
    JsonNode answer = api.post(API + "/jobs/" + segment(id) + "/stop", body);
    if (!savepoint) {
      if (timeout == null) {
        print(answer, () -> "Cancelling job " + id + ".\n");
        return ExitCodes.OK;
      }
      JsonNode job =
          await(
              "cancelling job " + id,
              API + "/jobs/" + segment(id),
              j -> text(j, "status"),
              JOB_ENDS,
              timeout,
              id);
      print(job, () -> "Job " + id + " " + text(job, "status") + ".\n");
      return "CANCELED".equals(text(job, "status")) ? ExitCodes.OK : ExitCodes.FAILED;
    }
    String sid = text(answer, "id");
    if (timeout == null) {
      print(
          answer,
          () ->
              "Stopping job "
                  + id
                  + " with savepoint "
                  + sid
                  + " ("
                  + text(answer, "state")
                  + ").\n");
      return ExitCodes.OK;
    }
    return awaitSavepoint(id, answer, timeout, "stop savepoint " + sid);
  }

  private int awaitSavepoint(String jobId, JsonNode record, Duration timeout, String what) {
    String sid = text(record, "id");
    JsonNode end =
        SAVEPOINT_ENDS.contains(text(record, "state"))
            ? record
            : await(
                what,
                API + "/jobs/" + segment(jobId) + "/savepoints/" + segment(sid),
                r -> text(r, "state"),
                SAVEPOINT_ENDS,
                timeout,
                jobId);
    String state = text(end, "state");
    if ("COMPLETED".equals(state)) {
      print(end, () -> text(end, "path") + "\n");
      return ExitCodes.OK;
    }
    if (json) {
      printJson(end);
    }
    err.println(
        Problems.oneLine(
            "error: "
                + what
                + " "
                + state
                + ": "
                + Optional.ofNullable(text(end, "error")).orElse("no reason given")));
    return ExitCodes.FAILED;
  }

  private int submit(CliArgs args) {
    args.expectPositionals();
    String jar = args.value("jar");
    String upload = args.value("upload");
    if ((jar == null) == (upload == null)) {
      throw CliException.usage(
          "error: 'submit' needs --jar PATH-ON-POD or --upload LOCAL.jar (one of them)");
    }
    ObjectNode spec = ApiClient.JSON.createObjectNode();
    putIfSet(spec, "jarPath", jar);
    putIfSet(spec, "entryClass", args.value("entry-class"));
    if (!args.values("arg").isEmpty()) {
      ArrayNode list = spec.putArray("args");
      args.values("arg").forEach(list::add);
    }
    Integer parallelism = args.intValue("parallelism", 1);
    if (parallelism != null) {
      spec.put("parallelism", parallelism);
    }
    putIfSet(spec, "restorePath", args.value("restore-path"));
    if (args.flag("allow-non-restored-state")) {
      spec.put("allowNonRestoredState", true);
    }
    String mode = args.choice("recovery-mode", null, "NONE", "RESTART_FROM_LATEST");
    if (mode != null) {
      spec.putObject("recovery").put("mode", mode);
    }
    Map<String, String> profiles =
        CliArgs.assignments(args.values("slot-profile"), "--slot-profile");
    if (!profiles.isEmpty()) {
      ObjectNode p = spec.putObject("slotProfiles");
      profiles.forEach(p::put);
    }
    JsonNode job;
    if (upload != null) {
      Path file = Path.of(upload);
      if (!Files.isRegularFile(file)) {
        throw CliException.usage("error: --upload " + upload + " is not a file");
      }
      job = api.postMultipart(API + "/jobs", file, spec);
    } else {
      job = api.post(API + "/jobs", spec);
    }
    print(
        job,
        () ->
            "Submitted job "
                + text(job, "jobId")
                + " ("
                + text(job, "submission")
                + "); see: flink-supervisor job "
                + text(job, "jobId")
                + "\n");
    return ExitCodes.OK;
  }

  private int reprofile(CliArgs args) {
    if (args.positionals().isEmpty()) {
      args.expectPositionals("ID", "GROUP=PROFILE...");
    }
    String id = args.positionals().get(0);
    Map<String, String> profiles =
        CliArgs.assignments(
            args.positionals().subList(1, args.positionals().size()), "GROUP=PROFILE");
    if (profiles.isEmpty() != args.flag("clear")) {
      throw CliException.usage(
          "error: 'reprofile' needs GROUP=PROFILE mappings, or --clear to remove the profiles"
              + " (not both)");
    }
    Duration timeout = waitTimeout(args);
    ObjectNode body = ApiClient.JSON.createObjectNode();
    ObjectNode p = body.putObject("slotProfiles");
    profiles.forEach(p::put);
    putIfSet(body, "targetDirectory", args.value("target-directory"));
    JsonNode op = api.put(API + "/jobs/" + segment(id) + "/slot-profiles", body);
    String rid = text(op, "id");
    if (timeout == null) {
      print(
          op,
          () ->
              "Re-profiling "
                  + rid
                  + " of job "
                  + id
                  + " requested ("
                  + text(op, "state")
                  + ").\n");
      return ExitCodes.OK;
    }
    JsonNode end =
        REPROFILE_ENDS.contains(text(op, "state"))
            ? op
            : await(
                "re-profiling " + rid,
                API + "/jobs/" + segment(id) + "/reprofiles/" + segment(rid),
                r -> text(r, "state"),
                REPROFILE_ENDS,
                timeout,
                id);
    String state = text(end, "state");
    if ("COMPLETED".equals(state)) {
      print(
          end,
          () -> "Job " + id + " runs as " + text(end, "newJobId") + " with its new profiles.\n");
      return ExitCodes.OK;
    }
    if (json) {
      printJson(end);
    }
    String after =
        "ROLLED_BACK".equals(state)
            ? " (it runs again with its old profiles as " + text(end, "newJobId") + ")"
            : " (the job keeps its old profiles)";
    err.println(
        Problems.oneLine(
            "error: re-profiling "
                + rid
                + " "
                + state
                + ": "
                + Optional.ofNullable(text(end, "error")).orElse("no reason given")
                + after));
    return ExitCodes.FAILED;
  }

  private int events(CliArgs args) {
    args.expectPositionals();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("jobId", args.value("job"));
    query.put("since", since(args.value("since")));
    if (!args.flag("follow")) {
      JsonNode list = api.get(API + "/events" + ApiClient.query(query));
      print(list, () -> Views.events(list));
      return ExitCodes.OK;
    }
    return follow(API + "/events/stream" + ApiClient.query(query));
  }

  private int follow(String path) {
    follower = Thread.currentThread();
    String last = null;
    try {
      InputStream in = api.stream(path);
      stream = in;
      if (stopped) {
        return ExitCodes.OK;
      }
      err.println("Following the events of " + api.url() + " (Ctrl-C to stop)");
      err.flush();
      SseParser parser = new SseParser();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while (!stopped && (line = reader.readLine()) != null) {
          Optional<SseParser.SseEvent> event = parser.line(line);
          if (event.isEmpty()) {
            continue;
          }
          if ("dropped".equals(event.get().type())) {
            JsonNode reason = parse(event.get().data());
            err.println(
                Problems.oneLine(
                    "error: the sidecar dropped this stream: "
                        + Optional.ofNullable(text(reason, "reason")).orElse(event.get().data())
                        + resume(last)));
            return ExitCodes.UNREACHABLE;
          }
          JsonNode data = parse(event.get().data());
          out.println(json ? data.toString() : Views.event(data));
          out.flush();
          last = Optional.ofNullable(text(data, "time")).orElse(last);
        }
      }
    } catch (IOException e) {
      if (!stopped) {
        throw api.unreachable(e);
      }
    } catch (CliException e) {
      if (!stopped) {
        throw e;
      }
    } finally {
      follower = null;
      stream = null;
      if (stopped) {
        Thread.interrupted(); // the interrupt was ours, to wake the read
      }
    }
    if (stopped) {
      return ExitCodes.OK;
    }
    err.println("error: the event stream ended" + resume(last));
    return ExitCodes.UNREACHABLE;
  }

  private static String resume(String lastTime) {
    return lastTime == null ? "" : "; resume with --since " + lastTime;
  }

  /**
   * Polls {@code path} until {@code stateOf} is one of {@code ends}, showing progress on stderr. An
   * unreachable or busy sidecar is asked again until the timeout (it may be changing leaders).
   */
  private JsonNode await(
      String what,
      String path,
      Function<JsonNode, String> stateOf,
      Set<String> ends,
      Duration timeout,
      String jobId) {
    Progress progress = new Progress(err, terminal, what, System::nanoTime);
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "not read yet";
    try {
      while (true) {
        try {
          JsonNode node = api.get(path);
          state = Optional.ofNullable(stateOf.apply(node)).orElse("?");
          if (ends.contains(state)) {
            return node;
          }
          progress.update(state);
        } catch (CliException e) {
          if (e.exitCode() != ExitCodes.UNREACHABLE && e.exitCode() != ExitCodes.CONFLICT) {
            throw e;
          }
          progress.update("asking again (" + e.getMessage().replaceFirst("^error: ", "") + ")");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new CliException(
              ExitCodes.UNREACHABLE,
              "error: gave up waiting after "
                  + Views.human(timeout)
                  + ": "
                  + what
                  + " is "
                  + state
                  + "; it may still end (see flink-supervisor job "
                  + jobId
                  + ")");
        }
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException(ExitCodes.FAILED, "error: interrupted while waiting for " + what);
        }
      }
    } finally {
      progress.done();
    }
  }

  /** {@code --since}: an ISO instant as it is, or a duration ago ({@code 10m}) as an instant. */
  String since(String value) {
    if (value == null) {
      return null;
    }
    Duration ago = CliArgs.parseDuration(value);
    if (ago != null) {
      return clock.instant().minus(ago).toString();
    }
    try {
      return Instant.parse(value.strip()).toString();
    } catch (DateTimeParseException e) {
      throw CliException.usage(
          "error: --since must be an ISO-8601 instant (2026-05-01T10:00:00Z) or a duration ago"
              + " (10m), not '"
              + value
              + "'");
    }
  }

  private static Duration waitTimeout(CliArgs args) {
    if (!args.flag("wait")) {
      if (args.has("timeout")) {
        throw CliException.usage("error: --timeout goes with --wait");
      }
      return null;
    }
    return args.duration("timeout", DEFAULT_TIMEOUT);
  }

  private static String format(CliArgs args) {
    return args.choice("format", null, "CANONICAL", "NATIVE");
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static JsonNode parse(String data) {
    try {
      return ApiClient.JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return ApiClient.JSON.createObjectNode().put("message", data);
    }
  }

  private void print(JsonNode body, java.util.function.Supplier<String> table) {
    if (json) {
      printJson(body);
    } else {
      out.print(table.get());
    }
    out.flush();
  }

  private void printJson(JsonNode body) {
    try {
      out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
