package dev.flinksupervisor.cli;

import java.util.Arrays;
import java.util.Optional;

/** The commands: their names, the options each accepts, and their help. */
enum Command {
  JOBS(
      "jobs",
      CliArgs.Spec.common(),
      "jobs",
      "The jobs: id, name, status, health verdict (and reasons), restarts, the last completed\n"
          + "checkpoint's age, and the newest restorable state (GET /api/v1/jobs).\n"),
  JOB(
      "job",
      CliArgs.Spec.common(),
      "job ID",
      "One job: status, health and its reasons, the last failure, checkpointing, requested and\n"
          + "allocated slots, and its savepoints, newest first (GET /api/v1/jobs/ID and\n"
          + "GET /api/v1/jobs/ID/savepoints; with --output json: {\"job\": ..., \"savepoints\": ...}).\n"),
  SAVEPOINT(
      "savepoint",
      CliArgs.Spec.common().withValues("target-directory", "format", "timeout").withFlags("wait"),
      "savepoint ID [--wait [--timeout 10m]] [--target-directory DIR] [--format canonical|native]",
      "Takes a savepoint of the job (POST /api/v1/jobs/ID/savepoints) and prints its id.\n"
          + "  --wait                 wait until it ends: COMPLETED prints its path (exit 0), FAILED or\n"
          + "                         ABANDONED prints the error (exit 1); progress on stderr\n"
          + "  --timeout DURATION     give up waiting after this (default 10m; exit 6, the savepoint\n"
          + "                         may still complete)\n"
          + "  --target-directory DIR where the savepoint goes (an absolute URI: s3://..., file:///...)\n"
          + "  --format FORMAT        canonical (default of the sidecar) or native\n"),
  STOP(
      "stop",
      CliArgs.Spec.common()
          .withValues("target-directory", "format", "timeout")
          .withFlags("wait", "no-savepoint", "drain"),
      "stop ID [--no-savepoint] [--drain] [--wait [--timeout 10m]] [--target-directory DIR]",
      "Stops the job with a savepoint (POST /api/v1/jobs/ID/stop), or cancels it.\n"
          + "  --no-savepoint         cancel the job, without a savepoint\n"
          + "  --drain                let the sources end and flush (emits MAX_WATERMARK)\n"
          + "  --wait                 wait until the stop savepoint ends and print its path (exit 0;\n"
          + "                         FAILED or ABANDONED: exit 1, and the job keeps running), or with\n"
          + "                         --no-savepoint until the job is CANCELED\n"
          + "  --timeout DURATION     give up waiting after this (default 10m; exit 6)\n"
          + "  --target-directory DIR where the savepoint goes\n"
          + "  --format FORMAT        canonical or native\n"),
  SUBMIT(
      "submit",
      CliArgs.Spec.common()
          .withValues(
              "jar", "upload", "entry-class", "parallelism", "restore-path", "recovery-mode")
          .withRepeatable("arg", "slot-profile")
          .withFlags("allow-non-restored-state"),
      "submit (--jar PATH-ON-POD | --upload LOCAL.jar) [--entry-class CLASS] [--arg X]... [options]",
      "Submits a job (POST /api/v1/jobs) and prints its new id; the sidecar builds and submits it\n"
          + "on its own thread: `flink-supervisor job ID` shows how it went.\n"
          + "  --jar PATH               a jar under the sidecar's jobs.jar-directory (on the pod)\n"
          + "  --upload FILE            or a local jar, uploaded with the request (multipart)\n"
          + "  --entry-class CLASS      the program's main class (default: the jar's manifest)\n"
          + "  --arg X                  a program argument; repeat for each (--arg --input --arg s3://x)\n"
          + "  --parallelism N          the default parallelism\n"
          + "  --slot-profile G=P       run slot-sharing group G with the configured profile P; repeat\n"
          + "  --restore-path P         start from this savepoint or retained checkpoint\n"
          + "  --allow-non-restored-state  skip state that maps to no operator\n"
          + "  --recovery-mode MODE     NONE (default) or RESTART_FROM_LATEST: the sidecar restarts the\n"
          + "                           job from its newest state when it fails for good\n"),
  REPROFILE(
      "reprofile",
      CliArgs.Spec.common().withValues("target-directory", "timeout").withFlags("wait", "clear"),
      "reprofile ID GROUP=PROFILE... [--wait [--timeout 10m]] [--target-directory DIR]",
      "Changes the slot profiles of a running job the sidecar submitted\n"
          + "(PUT /api/v1/jobs/ID/slot-profiles): stop with a savepoint, run again with the profiles.\n"
          + "  GROUP=PROFILE          a slot-sharing group and a configured profile (default=large)\n"
          + "  --clear                remove the job's profiles instead\n"
          + "  --wait                 wait until it ends: COMPLETED prints the new job id (exit 0);\n"
          + "                         ROLLED_BACK (runs again with the old profiles) or FAILED (not\n"
          + "                         stopped, keeps its old profiles) print why (exit 1)\n"
          + "  --timeout DURATION     give up waiting after this (default 10m; exit 6)\n"
          + "  --target-directory DIR where the stop savepoint goes\n"),
  EVENTS(
      "events",
      CliArgs.Spec.common().withValues("job", "since").withFlags("follow"),
      "events [--job ID] [--since TIME] [--follow]",
      "The sidecar's events, oldest first, one line each: time, severity, type, job, message\n"
          + "(GET /api/v1/events). With --output json the API's list as it is (newest first).\n"
          + "  --job ID               only the events of this job\n"
          + "  --since TIME           since an ISO-8601 instant (2026-05-01T10:00:00Z) or this long\n"
          + "                         ago (10m, 2h)\n"
          + "  --follow               print events as they happen until Ctrl-C\n"
          + "                         (GET /api/v1/events/stream; --output json: one JSON per line)\n"),
  CLUSTER(
      "cluster",
      CliArgs.Spec.common(),
      "cluster",
      "The cluster as this sidecar sees it (GET /api/v1/cluster): its role (ACTIVE or STANDBY),\n"
          + "the leading JobManager, the Flink version, TaskManagers and slots, the sidecar's record,\n"
          + "this pod's JobManager container, and the cluster's health.\n");

  static final String COMMON_HELP =
      """
      Common options:
        --url URL            the sidecar's admin API; else $FLINK_SUPERVISOR_URL, url: in the
                             config file, or http://127.0.0.1:8085
        --token-file PATH    read the bearer token from this file
        --token TOKEN        the bearer token; else $FLINK_SUPERVISOR_TOKEN, or token: or
                             token-file: in the config file (a token on the command line shows in
                             ps: prefer the others)
        --cli-config FILE    the config file, YAML with url:, token: or token-file:, ca-file:
                             (default ~/.config/flink-supervisor/cli.yaml)
        --ca-file PEM        trust these CA certificates for an https URL
        -o, --output FORMAT  table (default) or json: the API's JSON, pretty-printed
        -h, --help           this help

      Exit codes: 0 done, 1 the operation failed, 2 usage error, 3 not found (404),
      4 refused (401, 403), 5 conflict or unavailable (409, 429, 503),
      6 cannot connect, no answer, or --timeout passed.
      """;

  /** The lines of the top-level usage that list the commands. */
  static final String OVERVIEW =
      """
      On-call commands, against a running sidecar's admin API:
        flink-supervisor jobs                  the jobs: status, health, restarts, checkpoints
        flink-supervisor job ID                one job in detail, with its savepoints
        flink-supervisor savepoint ID [--wait] take a savepoint
        flink-supervisor stop ID [--no-savepoint] [--drain] [--wait]
                                               stop a job with a savepoint, or cancel it
        flink-supervisor submit --jar PATH | --upload FILE [--entry-class C] ...
                                               submit a job
        flink-supervisor reprofile ID GROUP=PROFILE... [--wait]
                                               change a job's slot profiles
        flink-supervisor events [--job ID] [--since TIME] [--follow]
                                               the event log, or follow it live
        flink-supervisor cluster               role, leader, Flink, TaskManagers, record, health
        flink-supervisor COMMAND --help        a command's options, the common ones, exit codes
      """;

  private final String name;
  private final CliArgs.Spec spec;
  private final String synopsis;
  private final String description;

  Command(String name, CliArgs.Spec spec, String synopsis, String description) {
    this.name = name;
    this.spec = spec;
    this.synopsis = synopsis;
    this.description = description;
  }

  static Optional<Command> named(String name) {
    return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst();
  }

  String commandName() {
    return name;
  }

  CliArgs.Spec spec() {
    return spec;
  }

  String help() {
    return "Usage: flink-supervisor " + synopsis + "\n\n" + description + "\n" + COMMON_HELP;
  }
}
