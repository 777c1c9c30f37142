package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.Demo;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.TestKubernetes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the demo: a real sidecar on a Flink MiniCluster with Kubernetes HA,
 * called in-process through {@link Cli#run} as {@code java -jar flink-supervisor.jar} calls it. The
 * README's examples run here too. Stopping the demo's job comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliITCase {
  private static final String TOKEN = "cli-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path workDir;
  private static Demo demo;
  private static String jobId;
  private static Map<String, String> env;

  /** One run of the command line: its exit code and what it printed. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  static void startDemo() throws Exception {
    KubernetesApi kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    demo =
        Demo.start(
            workDir,
            kubernetes,
            "cli-it-" + UUID.randomUUID().toString().substring(0, 8),
            Map.of(
                SupervisorOptions.API_HOST.key(), "127.0.0.1",
                SupervisorOptions.API_PORT.key(), "0",
                SupervisorOptions.ADMIN_TOKEN.key(), TOKEN,
                SupervisorOptions.DETAILS_INTERVAL.key(), "1s"),
            Clock.systemUTC());
    jobId = demo.jobId().toHexString();
    Path home = Files.createDirectories(workDir.resolve("home"));
    env =
        Map.of(
            "HOME",
            home.toString(),
            Connection.ENV_URL,
            "http://127.0.0.1:" + demo.apiPort(),
            Connection.ENV_TOKEN,
            TOKEN);

    HttpTestClient http = new HttpTestClient(demo.apiPort());
    Await.until(
        "/readyz to answer 200",
        PATIENCE,
        () -> http.get("/readyz", null).status() == 200 ? true : null);
    Await.until(
        "the demo job running with a completed checkpoint",
        PATIENCE,
        () -> {
          HttpTestClient.Response r = http.get("/api/v1/jobs/" + jobId, TOKEN);
          JsonNode j = r.status() == 200 ? r.json() : null;
          return j != null && "RUNNING".equals(j.path("status").asText()) && j.has("lastCheckpoint")
              ? j
              : null;
        });
  }

  @AfterAll
  static void stopDemo() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  private static Result cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env)
            .run(args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result cli(String... args) {
    return cli(env, args);
  }

  @Test
  @Order(1)
  void jobs_lists_the_demo_job_in_a_table() {
    Result r = cli("jobs");

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("ID")
        .contains("NAME", "STATUS", "HEALTH", "RESTARTS", "LAST CHECKPOINT", "RESTORABLE");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(jobId)
                    .contains("demo-job", "RUNNING", "HEALTHY", "checkpoint "));
    assertThat(r.err()).isEmpty();
  }

  @Test
  @Order(2)
  void jobs_as_json_is_the_apis_answer() throws Exception {
    Result r = cli("jobs", "--output", "json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode list = JSON.readTree(r.out());
    assertThat(list.path("jobs").get(0).path("id").asText()).isEqualTo(jobId);
    assertThat(list.has("freshness")).isTrue();
    assertThat(r.out()).contains("\n  \"jobs\" : [");
  }

  @Test
  @Order(3)
  void job_shows_one_job_in_detail() {
    Result r = cli("job", jobId);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Job:", jobId)
        .contains("Name:", "demo-job")
        .contains("Status:", "RUNNING, started ")
        .contains("Health:", "HEALTHY")
        .contains("Last checkpoint:", "Restorable:", "checkpoint ")
        .contains("Checkpointing:", "every 2s")
        .contains("Savepoints:");
  }

  @Test
  @Order(4)
  void cluster_shows_role_leader_and_flink() {
    Result r = cli("cluster");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Cluster:", demo.clusterId())
        .contains("Role:", "ACTIVE")
        .contains("Leader:", "http://127.0.0.1:")
        .contains("Flink:", "2.3.0")
        .contains("TaskManagers:", "1, slots")
        .contains("Record:", "read");
  }

  @Test
  @Order(5)
  void an_unknown_job_is_exit_3_and_one_line() {
    Result r = cli("job", "00000000000000000000000000000000");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).startsWith("error: 404 ").hasLineCount(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  @Order(6)
  void a_wrong_token_is_exit_4_and_is_not_printed() {
    Result r = cli("jobs", "--token", "not-the-token");

    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(r.err()).startsWith("error: 401 ").hasLineCount(1).doesNotContain("not-the-token");

    Map<String, String> noToken = new HashMap<>(env);
    noToken.remove(Connection.ENV_TOKEN);
    Result none = cli(noToken, "jobs");
    assertThat(none.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(none.err()).contains("no token given").hasLineCount(1);
  }

  @Test
  @Order(7)
  void the_config_file_gives_url_and_token_file() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("cfg"));
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Path config =
        Files.writeString(
            dir.resolve("cli.yaml"),
            "url: http://127.0.0.1:" + demo.apiPort() + "\ntoken-file: token\n");

    Result r =
        cli(Map.of("HOME", workDir.toString()), "cluster", "--cli-config", config.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ACTIVE");
  }

  @Test
  @Order(8)
  void savepoint_wait_prints_the_path_of_the_completed_savepoint() {
    Result r = cli("savepoint", jobId, "--wait", "--timeout", "2m");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).startsWith("file:").contains("savepoint-").doesNotContain("\n");

    Result job = cli("job", jobId);
    assertThat(job.out()).contains("COMPLETED", "MANUAL", r.out().strip());
  }

  @Test
  @Order(9)
  void events_lists_what_happened_one_line_each() {
    Result r = cli("events", "--job", jobId);

    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).contains("JOB_APPEARED", jobId);
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("INFO", "SAVEPOINT_COMPLETED", jobId));
  }

  @Test
  @Order(10)
  void events_follow_prints_live_events_until_stopped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli follow =
        new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> following =
          executor.submit(() -> follow.run("events", "--follow", "--job", jobId));
      Await.until(
          "the event stream to be open",
          PATIENCE,
          () -> {
            assertThat(following.isDone()).as(() -> err.toString(StandardCharsets.UTF_8)).isFalse();
            return err.toString(StandardCharsets.UTF_8).contains("Following the events")
                ? true
                : null;
          });

      Result savepoint = cli("savepoint", jobId, "--wait", "--timeout", "2m");
      assertThat(savepoint.code()).as(savepoint.err()).isZero();
      String line =
          Await.until(
              "a live SAVEPOINT_COMPLETED event",
              PATIENCE,
              () ->
                  out.toString(StandardCharsets.UTF_8)
                      .lines()
                      .filter(l -> l.contains("SAVEPOINT_COMPLETED") && l.contains(jobId))
                      .findFirst()
                      .orElse(null));
      follow.stop();

      assertThat(following.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(line).contains("INFO");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("SAVEPOINT_REQUESTED");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  @Order(11)
  void the_readmes_examples_run() throws Exception {
    List<String> examples = readmeExamples();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);

    for (String example : examples) {
      String[] words = example.replace("JOB_ID", jobId).trim().split("\\s+");
      Result r = cli(java.util.Arrays.copyOfRange(words, 1, words.length));
      System.out.println("$ " + example + "\n" + r.out() + r.err());
      assertThat(r.code()).as(example + "\n" + r.err()).isZero();
      assertThat(r.out()).as(example).isNotBlank();
    }
  }

  @Test
  @Order(12)
  void stop_wait_stops_the_job_with_a_savepoint() throws Exception {
    Result r = cli("stop", jobId, "--wait", "--timeout", "2m");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).startsWith("file:").contains("savepoint-");
    String status =
        Await.until(
            "the job to end",
            PATIENCE,
            () -> {
              Result job = cli("jobs", "-o", "json");
              try {
                String s = JSON.readTree(job.out()).path("jobs").get(0).path("status").asText();
                return "FINISHED".equals(s) ? s : null;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(status).isEqualTo("FINISHED");
  }

  /** The lines {@code flink-supervisor ...} between the README's cli-examples markers. */
  static List<String> readmeExamples() throws Exception {
    Path readme = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("README.md");
      if (Files.exists(candidate)
          && Files.readString(candidate).contains("<!-- cli-examples:start -->")) {
        readme = candidate;
        break;
      }
    }
    assertThat(readme)
        .as("a README.md with <!-- cli-examples:start --> above the working directory")
        .isNotNull();
    String text = Files.readString(readme);
    int start = text.indexOf("<!-- cli-examples:start -->");
    int end = text.indexOf("<!-- cli-examples:end -->", start);
    assertThat(end).as("<!-- cli-examples:end --> after the start").isPositive();
    List<String> examples = new ArrayList<>();
    for (String line : text.substring(start, end).lines().toList()) {
      if (line.strip().startsWith("flink-supervisor ")) {
        examples.add(line.strip());
      }
    }
    return examples;
  }
}
