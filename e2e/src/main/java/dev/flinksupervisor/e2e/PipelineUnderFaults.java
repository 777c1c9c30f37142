package dev.flinksupervisor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedKubernetes;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.pipeline.OutputCheck;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.SidecarJar;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * What users run, supervised through faults: an exactly-once Kafka pipeline ({@code pipeline-job})
 * on real JobManager and TaskManager processes with Kubernetes HA, two "pods" each holding a
 * JobManager and the packaged sidecar as its own process, scheduled savepoints every few seconds,
 * and a Kafka broker. Each fault method injects its fault and returns once the system has recovered
 * from it (committed output grows again); {@link #finish} stops the input and checks the whole
 * output and the sidecars' record. The end-to-end test runs each fault once; the soak in {@code
 * benchmarks/} runs them in rounds for as long as it is told.
 */
public final class PipelineUnderFaults implements AutoCloseable {
  static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String FAIL_KEY = "fail-once";
  private static final int GROWTH = 200;

  /** How the pipeline and its sidecars are set up. */
  public record Setup(
      int keys, int recordsPerSecond, int savepointRetainCount, int maxRecoveryAttempts) {
    /** Every savepoint kept, so that each can be matched with its record at the end. */
    public static final Setup TEST = new Setup(4, 80, 1000, 10);
  }

  /**
   * The end: what was produced and committed, and the record's consistency: {@code recordProblems}
   * is empty when each trigger id appears once, every savepoint directory on disk is the path of
   * exactly one record (but those in flight), and every completed savepoint not disposed of is on
   * disk.
   */
  public record Outcome(
      long produced,
      OutputCheck check,
      int savepointRecords,
      long completedSavepoints,
      int savepointsOnDisk,
      List<String> recordProblems,
      List<String> eventTypes) {}

  /** One sidecar process's resident memory at one moment. */
  public record MemorySample(Instant at, String sidecar, long pid, long residentBytes) {}

  private final Path workDir;
  private final Setup setup;
  private final String clusterId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> faults = new ArrayList<>();
  private final Map<Integer, JobManager> jobManagers = new LinkedHashMap<>();

  /** By pod; read by {@link #sampleMemory} from another thread. */
  private final Map<Integer, PodSidecar> sidecars =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  private final Map<Integer, Integer> sidecarStarts = new HashMap<>();
  private TestKafka kafka;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private Process taskManager;
  private SequenceProducer producer;
  private CommittedOutput output;
  private String profile = "small";

  private PipelineUnderFaults(Path workDir, Setup setup) {
    this.workDir = workDir;
    this.setup = setup;
  }

  /** Starts everything and submits the pipeline through the ACTIVE sidecar. */
  public static PipelineUnderFaults start(Path workDir, Setup setup) throws Exception {
    PipelineUnderFaults run = new PipelineUnderFaults(workDir, setup);
    try {
      run.startAll();
    } catch (Exception | AssertionError e) {
      String diagnostics = run.diagnostics();
      run.close();
      throw new AssertionError(e.getMessage() + "\n" + diagnostics, e);
    }
    return run;
  }

  private void startAll() throws Exception {
    kafka = TestKafka.start(workDir);
    kafka.createTopics(2, "input", "output");
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    flink = new FlinkProcessCluster(workDir.resolve("flink"), kubernetes, clusterId);
    for (int pod = 0; pod < 2; pod++) {
      JobManager jm = flink.startJobManager();
      jobManagers.put(jm.index(), jm);
    }
    taskManager = flink.startTaskManager();
    for (int pod : jobManagers.keySet()) {
      startSidecar(pod);
    }
    HttpTestClient active = sidecars.get(awaitActivePod()).api();
    producer =
        new SequenceProducer(
            kafka.bootstrapServers(), "input", setup.keys(), setup.recordsPerSecond());
    output = new CommittedOutput(kafka.bootstrapServers(), "output");
    HttpTestClient.Response submitted =
        active.postJson(
            "/api/v1/jobs",
            TOKEN,
            """
            {"jarPath": "pipeline-job.jar",
             "entryClass": "dev.flinksupervisor.pipeline.ExactlyOncePipeline",
             "args": ["--bootstrap-servers", "%s", "--checkpoint-interval", "1000",
                      "--restart-strategy", "none",
                      "--fail-once-on-key", "%s", "--fail-once-marker", "%s"],
             "parallelism": 2,
             "slotProfiles": {"default": "%s"},
             "recovery": {"mode": "RESTART_FROM_LATEST", "maxAttempts": %d,
                          "backoff": "PT1S", "maxStateAge": "P1D"}}
            """
                .formatted(
                    kafka.bootstrapServers(),
                    FAIL_KEY,
                    failMarker(),
                    profile,
                    setup.maxRecoveryAttempts()));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    awaitOutputGrows("the pipeline to commit output");
    awaitCompletedSavepointSince(Instant.EPOCH);
  }

  public String kafkaKind() {
    return kafka.kind();
  }

  /** The faults injected so far, in order. */
  public List<String> faults() {
    return List.copyOf(faults);
  }

  public long produced() {
    return producer.total();
  }

  public int committed() {
    return output.size();
  }

  /**
   * The job fails on a poison record (Flink's restart strategy is {@code none}): the sidecar
   * restarts it from the newest state ({@code RESTART_FROM_LATEST}).
   */
  public void failJob() throws Exception {
    Instant since = begin("job failure");
    // The job fails on the key while the marker is missing; recovered, it passes the same record.
    Files.deleteIfExists(failMarker());
    producer.sendOne(FAIL_KEY);
    HttpTestClient active = activeApi();
    Await.until(
        "the sidecar to recover the failed job",
        PATIENCE,
        () -> eventSince(active, "RECOVERY_STARTED", since) ? true : null);
    awaitOutputGrows("output after the recovery");
  }

  /** The TaskManager is killed with SIGKILL; a new one is started, as a Deployment would. */
  public void killTaskManager() throws Exception {
    begin("TaskManager killed");
    taskManager.destroyForcibly();
    taskManager.waitFor();
    taskManager = flink.startTaskManager();
    awaitOutputGrows("output after the TaskManager's death");
  }

  /**
   * The leading JobManager is killed with SIGKILL; the other one takes over, and so does the
   * sidecar beside it. The killed one is then started again in its pod, beside its sidecar, which
   * kept running and is now STANDBY.
   */
  public void killLeadingJobManager() throws Exception {
    Instant since = begin("leading JobManager killed");
    int leader = awaitActivePod();
    int other = otherPod(leader);
    flink.kill(jobManagers.get(leader));
    HttpTestClient next = sidecars.get(other).api();
    Await.until(
        "the sidecar beside the new leader to be ACTIVE",
        PATIENCE,
        () -> "ACTIVE".equals(role(next)) ? true : null);
    jobManagers.put(leader, flink.restartJobManager(jobManagers.get(leader)));
    HttpTestClient former = sidecars.get(leader).api();
    Await.until(
        "the sidecar beside the killed JobManager to be STANDBY",
        PATIENCE,
        () -> "STANDBY".equals(role(former)) ? true : null);
    awaitOutputGrows("output after the failover");
    awaitCompletedSavepointSince(since);
  }

  /**
   * The ACTIVE sidecar is killed with SIGKILL while its savepoint is in flight; the one started in
   * its place finds the savepoint in the record and sees it through without triggering it again.
   */
  public void killActiveSidecarDuringSavepoint() throws Exception {
    begin("active sidecar killed during a savepoint");
    int pod = awaitActivePod();
    HttpTestClient active = sidecars.get(pod).api();
    String job = runningJob(active);
    // A scheduled savepoint may be in flight (one at a time per job): asked again until taken;
    // and one that completed before it could be seen IN_PROGRESS is followed by another.
    String path = null;
    String stateAtDeath = null;
    for (int tries = 0; tries < 5 && !"IN_PROGRESS".equals(stateAtDeath); tries++) {
      HttpTestClient.Response taken =
          Await.until(
              "a savepoint request to be taken",
              PATIENCE,
              () -> {
                HttpTestClient.Response r =
                    active.postJson("/api/v1/jobs/" + job + "/savepoints", TOKEN, "");
                assertThat(r.status()).as(r.body()).isIn(202, 409);
                return r.status() == 202 ? r : null;
              });
      String url = "/api/v1/jobs/" + job + "/savepoints/" + taken.json().get("id").asText();
      path = url;
      stateAtDeath =
          Await.until(
              "the savepoint's trigger to be sent",
              PATIENCE,
              () -> {
                String state = active.get(url, TOKEN).json().path("state").asText();
                return state.equals("IN_PROGRESS") || state.equals("COMPLETED") ? state : null;
              });
    }
    assertThat(stateAtDeath).as("a savepoint seen in flight").isEqualTo("IN_PROGRESS");
    final String savepointPath = path;
    sidecars.get(pod).kill();
    System.out.println("The ACTIVE sidecar was killed with its savepoint " + stateAtDeath);
    HttpTestClient replacement = startSidecar(pod).api();
    JsonNode seenThrough =
        Await.until(
            "the new sidecar to see the savepoint through",
            PATIENCE,
            () -> {
              HttpTestClient.Response r = replacement.get(savepointPath, TOKEN);
              return r.status() == 200 && r.json().path("state").asText().equals("COMPLETED")
                  ? r.json()
                  : null;
            });
    assertThat(seenThrough.get("attempts").asInt()).as("triggered once").isEqualTo(1);
  }

  /** The Kubernetes API stops answering for {@code outage}, and comes back. */
  public void stopKubernetesApi(Duration outage) throws Exception {
    if (!(kubernetes instanceof EmbeddedKubernetes api)) {
      System.out.println("Kubernetes API outage skipped: a real cluster cannot be stopped here");
      return;
    }
    begin("Kubernetes API stopped and started");
    api.stop();
    try {
      // Without the API, every sidecar stays up and answers.
      dev.flinksupervisor.testing.Holds.forAtLeast(
          outage,
          () -> {
            for (PodSidecar sidecar : sidecars.values()) {
              assertThat(sidecar.api().get("/healthz", null).status()).isEqualTo(200);
            }
          });
    } finally {
      api.restart();
    }
    awaitOutputGrows("output after the Kubernetes API outage");
  }

  /**
   * Re-profiled through the admin API, to the other slot profile: stopped with a savepoint and
   * submitted again from it. When the JobManager loses its leadership in the middle (the API outage
   * before can cost it its lease), the sidecar may roll the job back to its old profile instead:
   * either way the job runs again from that savepoint.
   */
  public void reprofile() throws Exception {
    begin("re-profiled");
    String to = profile.equals("small") ? "smaller" : "small";
    // A re-profile refused before the job was stopped (its checks need the JobManager, which may
    // be electing a leader) leaves the job as it was: asked again once output grows, up to 3 times.
    String outcome = "FAILED";
    for (int attempt = 1; attempt <= 3 && outcome.equals("FAILED"); attempt++) {
      Instant since = Instant.now();
      HttpTestClient active = activeApi();
      String job = runningJob(active);
      HttpTestClient.Response reprofile =
          active.send(
              HttpRequest.newBuilder(
                      URI.create(active.baseUrl() + "/api/v1/jobs/" + job + "/slot-profiles"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"slotProfiles\": {\"default\": \"" + to + "\"}}"))
                  .build());
      assertThat(reprofile.status()).as(reprofile.body()).isIn(202, 409, 503);
      if (reprofile.status() != 202) {
        System.out.println(
            "Re-profile not taken (" + reprofile.status() + "): " + reprofile.body());
        awaitOutputGrows("output before asking again");
        continue;
      }
      // The ACTIVE sidecar may change on the way: any sidecar's record of the outcome counts.
      outcome =
          Await.until(
              "the re-profiling to complete, roll back or be refused",
              PATIENCE,
              () -> {
                for (PodSidecar sidecar : sidecars.values()) {
                  for (String end : List.of("COMPLETED", "ROLLED_BACK", "FAILED")) {
                    if (eventSince(sidecar.api(), "REPROFILE_" + end, since)) {
                      return end;
                    }
                  }
                }
                return null;
              });
      if (outcome.equals("FAILED")) {
        System.out.println("The re-profiling was refused before the job was stopped; again");
        awaitOutputGrows("output before asking again");
      }
    }
    assertThat(outcome).as("the re-profiling's outcome").isIn("COMPLETED", "ROLLED_BACK");
    if (outcome.equals("COMPLETED")) {
      profile = to;
    } else {
      faults.set(faults.size() - 1, "re-profiled (rolled back)");
      System.out.println("The re-profiling was rolled back: the job runs with " + profile);
    }
    awaitOutputGrows("output after the re-profiling");
  }

  /** Stops the input, waits for all of it in the committed output, and checks output and record. */
  public Outcome finish() throws Exception {
    Map<String, Long> produced = producer.stop();
    long expected = producer.total();
    Await.until(
        "all " + expected + " records in the committed output",
        PATIENCE,
        () -> output.size() >= expected ? true : null);
    // Then until it has not grown for 5 s: a duplicate committed late (by a second run, say) is
    // counted too.
    int[] last = {output.size()};
    Instant[] since = {Instant.now()};
    Await.until(
        "the committed output to stop growing",
        PATIENCE,
        () -> {
          int now = output.size();
          if (now != last[0]) {
            last[0] = now;
            since[0] = Instant.now();
            return null;
          }
          return Duration.between(since[0], Instant.now()).toSeconds() >= 5 ? true : null;
        });
    OutputCheck check = OutputCheck.of(produced, output.records());
    HttpTestClient active = activeApi();
    // Every savepoint record, of every run, as the sidecars keep them in their ConfigMap.
    List<JsonNode> savepoints = new ArrayList<>();
    SidecarJar.savepointRecords(kubernetes, clusterId).forEach(savepoints::add);
    Set<Path> onDisk = savepointsOnDisk();
    return new Outcome(
        expected,
        check,
        savepoints.size(),
        savepoints.stream().filter(r -> r.path("state").asText().equals("COMPLETED")).count(),
        onDisk.size(),
        recordProblems(savepoints, onDisk),
        events(active).stream().map(e -> e.path("type").asText()).toList());
  }

  private static List<String> recordProblems(List<JsonNode> records, Set<Path> onDisk) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> triggers = new HashMap<>();
    Map<Path, Integer> owners = new HashMap<>();
    long inFlight = 0;
    for (JsonNode r : records) {
      String state = r.path("state").asText();
      if (r.hasNonNull("triggerId")) {
        triggers.merge(r.get("triggerId").asText(), 1, Integer::sum);
      }
      if (state.equals("TRIGGER_PENDING") || state.equals("IN_PROGRESS")) {
        inFlight++;
      }
      if (state.equals("COMPLETED")) {
        Path path = localPath(r.path("path").asText());
        owners.merge(path, 1, Integer::sum);
        if (!r.path("disposed").asBoolean() && !onDisk.contains(path)) {
          problems.add("completed savepoint " + r.path("id").asText() + " is not on disk: " + path);
        }
      }
    }
    triggers.forEach(
        (trigger, n) -> {
          if (n > 1) {
            problems.add("trigger id " + trigger + " in " + n + " records");
          }
        });
    owners.forEach(
        (path, n) -> {
          if (n > 1) {
            problems.add("savepoint " + path + " in " + n + " records");
          }
        });
    Set<Path> orphans = new HashSet<>(onDisk);
    orphans.removeAll(owners.keySet());
    if (orphans.size() > inFlight) {
      problems.add(
          orphans.size()
              + " savepoints on disk without a record ("
              + inFlight
              + " in flight): "
              + orphans);
    }
    return problems;
  }

  private static Path localPath(String uri) {
    return (uri.startsWith("file:")
            ? Path.of(URI.create(uri.replaceFirst("^file:/+", "file:///")))
            : Path.of(uri))
        .normalize();
  }

  /** Each live sidecar's resident memory now; safe to call from another thread. */
  public List<MemorySample> sampleMemory() {
    Instant now = Instant.now();
    List<MemorySample> samples = new ArrayList<>();
    for (PodSidecar sidecar : sidecars.values()) {
      long rss = sidecar.residentBytes();
      if (rss > 0) {
        samples.add(new MemorySample(now, sidecar.name(), sidecar.pid(), rss));
      }
    }
    return samples;
  }

  /**
   * What to read when something went wrong: the sidecars' events, the processes' last log lines;
   * the logs are also copied to {@code keptLogs}.
   */
  public String diagnostics() {
    StringBuilder out = new StringBuilder("faults so far: " + faults + "\n");
    keepLogs(Path.of("target", "e2e-logs"));
    for (PodSidecar sidecar : sidecars.values()) {
      out.append("==> events of ").append(sidecar.name()).append(", newest first:\n");
      try {
        sidecar
            .api()
            .get("/api/v1/events", TOKEN)
            .json()
            .get("events")
            .forEach(
                ev ->
                    out.append(ev.path("type").asText())
                        .append(": ")
                        .append(ev.path("message").asText())
                        .append('\n'));
      } catch (RuntimeException unreadable) {
        out.append("(events unreadable: ").append(unreadable).append(")\n");
      }
      out.append("==> ").append(sidecar.log()).append('\n').append(sidecar.logTail()).append('\n');
    }
    if (flink != null) {
      out.append(flink.logTails());
    }
    return out.toString();
  }

  private void keepLogs(Path kept) {
    try (var files = Files.walk(workDir)) {
      Files.createDirectories(kept);
      for (Path log :
          files
              .filter(p -> p.toString().endsWith(".log") && !p.toString().contains("/data/"))
              .toList()) {
        Files.copy(
            log,
            kept.resolve(workDir.relativize(log).toString().replace('/', '_')),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("Could not keep the logs: " + e);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
    if (output != null) {
      output.close();
    }
    sidecars.values().forEach(PodSidecar::close);
    if (flink != null) {
      flink.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private Instant begin(String fault) {
    faults.add(fault);
    return Instant.now();
  }

  private PodSidecar startSidecar(int pod) throws Exception {
    int start = sidecarStarts.merge(pod, 1, Integer::sum);
    SidecarSettings settings =
        SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
            .set(SupervisorOptions.OWN_ADDRESS, jobManagers.get(pod).ownAddress())
            .set(SupervisorOptions.SAVEPOINT_INTERVAL, "3s")
            .set(
                SupervisorOptions.SAVEPOINT_RETAIN_COUNT,
                String.valueOf(setup.savepointRetainCount()))
            .set(SupervisorOptions.JAR_DIRECTORY, pipelineJar().getParent().toString())
            // Two slot sizes: two small slots and two smaller ones fit on the TaskManager together,
            // so a re-profile either way fits whatever the TaskManager last reported as free.
            .setRaw("slot-profiles.small.cpu-cores", "0.5")
            .setRaw("slot-profiles.small.task-heap", "64m")
            .setRaw("slot-profiles.small.managed-memory", "16m")
            .setRaw("slot-profiles.smaller.cpu-cores", "0.25")
            .setRaw("slot-profiles.smaller.task-heap", "32m")
            .setRaw("slot-profiles.smaller.managed-memory", "8m");
    PodSidecar sidecar =
        PodSidecar.start(settings, workDir.resolve("sidecars"), "sidecar-" + pod + "-" + start);
    sidecars.put(pod, sidecar);
    return sidecar;
  }

  /** The pipeline's jar: {@code -Dpipeline-job.jar}, or the one the pipeline-job module built. */
  static Path pipelineJar() {
    return builtJar("pipeline-job.jar", "pipeline-job");
  }

  /**
   * A jar another module of the build made: the system property {@code name} names it, or else it
   * is {@code ../<module>/target/<name>}.
   */
  static Path builtJar(String name, String module) {
    Path jar =
        Path.of(System.getProperty(name, Path.of("..", module, "target", name).toString()))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; build the " + module + " module first");
    }
    return jar;
  }

  private Path failMarker() {
    return workDir.resolve("failed-once");
  }

  private int otherPod(int pod) {
    return jobManagers.keySet().stream().filter(p -> p != pod).findFirst().orElseThrow();
  }

  private HttpTestClient activeApi() throws Exception {
    return sidecars.get(awaitActivePod()).api();
  }

  private int awaitActivePod() throws Exception {
    return Await.until(
        "one sidecar to be ACTIVE beside the leader",
        PATIENCE,
        () -> {
          for (Map.Entry<Integer, PodSidecar> e : sidecars.entrySet()) {
            if ("ACTIVE".equals(role(e.getValue().api()))) {
              return e.getKey();
            }
          }
          return null;
        });
  }

  private static String role(HttpTestClient sidecar) {
    try {
      return sidecar.get("/api/v1/cluster", TOKEN).json().path("role").asText();
    } catch (RuntimeException unreachable) {
      return "UNREACHABLE";
    }
  }

  private void awaitOutputGrows(String what) throws Exception {
    int before = output.size();
    Await.until(what, PATIENCE, () -> output.size() >= before + GROWTH ? true : null);
  }

  private void awaitCompletedSavepointSince(Instant since) throws Exception {
    HttpTestClient active = activeApi();
    Await.until(
        "a completed savepoint",
        PATIENCE,
        () ->
            savepointsOf(active).stream()
                    .anyMatch(
                        r ->
                            r.path("state").asText().equals("COMPLETED")
                                && !Instant.parse(r.path("completedAt").asText()).isBefore(since))
                ? true
                : null);
  }

  /**
   * The savepoint records of every run of the pipeline: the runs the JobManager lists, and the
   * earlier ones their specs name (a JobManager that took over no longer lists the runs before it).
   */
  private static List<JsonNode> savepointsOf(HttpTestClient sidecar) {
    Set<String> runs = new LinkedHashSet<>();
    for (JsonNode job : sidecar.get("/api/v1/jobs", TOKEN).json().get("jobs")) {
      String id = job.get("id").asText();
      runs.add(id);
      HttpTestClient.Response spec = sidecar.get("/api/v1/jobs/" + id + "/spec", TOKEN);
      if (spec.status() == 200) {
        spec.json().path("previousJobIds").forEach(previous -> runs.add(previous.asText()));
      }
    }
    List<JsonNode> all = new ArrayList<>();
    for (String run : runs) {
      HttpTestClient.Response list = sidecar.get("/api/v1/jobs/" + run + "/savepoints", TOKEN);
      if (list.status() == 200) {
        list.json().get("savepoints").forEach(all::add);
      }
    }
    return all;
  }

  /** Savepoints Flink wrote (a directory with {@code _metadata}) in the cluster's directory. */
  private Set<Path> savepointsOnDisk() throws IOException {
    Path dir = workDir.resolve("flink").resolve("savepoints");
    if (!Files.exists(dir)) {
      return Set.of();
    }
    try (var entries = Files.list(dir)) {
      Set<Path> found = new HashSet<>();
      entries
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .forEach(p -> found.add(p.toAbsolutePath().normalize()));
      return found;
    }
  }

  /** The id of the pipeline's RUNNING run, as the sidecar lists it. */
  private static String runningJob(HttpTestClient sidecar) throws Exception {
    return Await.until(
        "a RUNNING run of the pipeline",
        PATIENCE,
        () -> {
          for (JsonNode j : sidecar.get("/api/v1/jobs", TOKEN).json().get("jobs")) {
            if (j.path("status").asText().equals("RUNNING")) {
              return j.get("id").asText();
            }
          }
          return null;
        });
  }

  /** Whether {@code type} happened (first or last time) at or after {@code since}. */
  private static boolean eventSince(HttpTestClient sidecar, String type, Instant since) {
    List<JsonNode> events;
    try {
      events = events(sidecar);
    } catch (RuntimeException unreachable) {
      return false; // asked again by the caller's wait
    }
    return events.stream()
        .anyMatch(
            e ->
                e.path("type").asText().equals(type)
                    && !Instant.parse(e.path("lastTime").asText(e.path("time").asText()))
                        .isBefore(since));
  }

  private static List<JsonNode> events(HttpTestClient sidecar) {
    JsonNode events = sidecar.get("/api/v1/events", TOKEN).json().get("events");
    return StreamSupport.stream(events.spliterator(), false).toList();
  }
}
