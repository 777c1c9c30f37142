package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a scripted HTTP server in this JVM: exit codes, one-line errors, the
 * wait loops and the requests it sends. Fast; {@code CliITCase} runs it against a real sidecar.
 */
class CliTest {
  private static final String TOKEN = "unit-secret-token";

  @TempDir Path home;
  private HttpServer server;
  private final Map<String, String> requests = new ConcurrentHashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(String path, int status, String contentType, String body) {
    server.createContext(
        path,
        exchange -> {
          record(exchange);
          respond(exchange, status, contentType, body);
        });
  }

  private void record(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
    requests.put(
        exchange.getRequestMethod() + " " + exchange.getRequestURI(),
        exchange.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
    requests.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "5");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private int run(String... args) {
    Map<String, String> env =
        Map.of(
            "HOME",
            home.toString(),
            Connection.ENV_URL,
            "http://127.0.0.1:" + server.getAddress().getPort(),
            Connection.ENV_TOKEN,
            TOKEN);
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env)
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jobs_sends_the_token_and_prints_a_table_or_the_json_as_it_is() {
    answer(
        "/api/v1/jobs",
        200,
        "application/json",
        "{\"jobs\":[{\"id\":\"a1\",\"name\":\"orders\",\"status\":\"RUNNING\",\"restarts\":0,"
            + "\"durationMs\":1,\"newField\":1}]}");

    assertThat(run("jobs")).isZero();
    assertThat(out()).startsWith("ID  NAME    STATUS").contains("a1  orders  RUNNING");
    assertThat(requests.get("auth")).isEqualTo("Bearer " + TOKEN);

    out.reset();
    assertThat(run("jobs", "--output", "json")).isZero();
    assertThat(out()).contains("\"newField\" : 1").contains("\"name\" : \"orders\"");
    assertThat(err()).isEmpty();
  }

  @Test
  void a_problem_is_one_line_on_stderr_with_the_exit_code_of_its_status() {
    answer(
        "/api/v1/jobs/a1/savepoints",
        409,
        "application/problem+json",
        "{\"type\":\"https://flink-supervisor.dev/problems/standby\",\"title\":\"This sidecar is on"
            + " standby\",\"status\":409,\"detail\":\"Only the ACTIVE sidecar acts; the active one"
            + " is the one beside the leading JobManager http://10.0.0.7:8081.\"}");
    answer(
        "/api/v1/cluster",
        503,
        "application/problem+json",
        "{\"title\":\"The sidecar's record is not read yet\",\"status\":503}");
    answer(
        "/api/v1/jobs/nope",
        404,
        "application/problem+json",
        "{\"title\":\"Not found\",\"status\":404,\"detail\":\"No job 'nope'.\"}");

    assertThat(run("savepoint", "a1")).isEqualTo(5);
    assertThat(err())
        .isEqualTo(
            "error: 409 This sidecar is on standby: Only the ACTIVE sidecar acts; the active one"
                + " is the one beside the leading JobManager http://10.0.0.7:8081.\n");
    err.reset();
    assertThat(run("cluster")).isEqualTo(5);
    assertThat(err())
        .isEqualTo("error: 503 The sidecar's record is not read yet (retry after 5s)\n");
    err.reset();
    assertThat(run("job", "nope")).isEqualTo(3);
    assertThat(err()).isEqualTo("error: 404 Not found: No job 'nope'.\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void a_refused_token_is_exit_4_and_the_token_is_never_printed() {
    answer(
        "/api/v1/jobs",
        401,
        "application/problem+json",
        "{\"title\":\"Unauthorized\",\"status\":401}");

    assertThat(run("jobs")).isEqualTo(4);
    assertThat(err()).isEqualTo("error: 401 Unauthorized\n");
    assertThat(run("jobs", "--help")).isZero();
    assertThat(out() + err()).doesNotContain(TOKEN);
  }

  @Test
  void savepoint_wait_polls_until_it_ends_and_a_failure_is_exit_1() {
    answer(
        "/api/v1/jobs/a1/savepoints",
        202,
        "application/json",
        "{\"id\":\"s1\",\"jobId\":\"a1\",\"state\":\"TRIGGER_PENDING\",\"drain\":false,\"attempts\":0,\"disposed\":false}");
    AtomicInteger polls = new AtomicInteger();
    server.createContext(
        "/api/v1/jobs/a1/savepoints/s1",
        exchange -> {
          String state = polls.incrementAndGet() < 3 ? "IN_PROGRESS" : "FAILED";
          respond(
              exchange,
              200,
              "application/json",
              "{\"id\":\"s1\",\"state\":\""
                  + state
                  + "\",\"error\":\"Checkpoint was declined\",\"drain\":false,\"attempts\":3,\"disposed\":false}");
        });

    assertThat(run("savepoint", "a1", "--wait", "--target-directory", "s3://b/sp")).isEqualTo(1);
    assertThat(polls.get()).isEqualTo(3);
    assertThat(err())
        .contains("savepoint s1: IN_PROGRESS (0s)\n")
        .endsWith("error: savepoint s1 FAILED: Checkpoint was declined\n");
    assertThat(out()).isEmpty();
    assertThat(requests.get("POST /api/v1/jobs/a1/savepoints"))
        .isEqualTo("application/json\n{\"targetDirectory\":\"s3://b/sp\"}");
  }

  @Test
  void wait_gives_up_after_the_timeout_with_exit_6() {
    answer(
        "/api/v1/jobs/a1/stop",
        202,
        "application/json",
        "{\"id\":\"s1\",\"state\":\"IN_PROGRESS\",\"drain\":true,\"attempts\":1,\"disposed\":false}");
    answer(
        "/api/v1/jobs/a1/savepoints/s1",
        200,
        "application/json",
        "{\"id\":\"s1\",\"state\":\"IN_PROGRESS\",\"drain\":true,\"attempts\":1,\"disposed\":false}");

    assertThat(run("stop", "a1", "--drain", "--wait", "--timeout", "1s")).isEqualTo(6);
    assertThat(err().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("error: gave up waiting after 1s: stop savepoint s1 is IN_PROGRESS");
    assertThat(requests.get("POST /api/v1/jobs/a1/stop"))
        .endsWith("{\"savepoint\":true,\"drain\":true}");
  }

  @Test
  void submit_sends_the_spec_as_json_or_uploads_the_jar_as_multipart() throws Exception {
    answer(
        "/api/v1/jobs",
        202,
        "application/json",
        "{\"jobId\":\"j9\",\"submission\":\"PENDING\",\"attempts\":0}");

    assertThat(
            run(
                "submit",
                "--jar",
                "app.jar",
                "--entry-class",
                "com.example.App",
                "--arg",
                "--input",
                "--arg",
                "s3://in",
                "--parallelism",
                "2",
                "--slot-profile",
                "default=small",
                "--recovery-mode",
                "restart_from_latest"))
        .isZero();
    assertThat(out()).isEqualTo("Submitted job j9 (PENDING); see: flink-supervisor job j9\n");
    assertThat(requests.get("POST /api/v1/jobs"))
        .isEqualTo(
            "application/json\n{\"jarPath\":\"app.jar\",\"entryClass\":\"com.example.App\","
                + "\"args\":[\"--input\",\"s3://in\"],\"parallelism\":2,"
                + "\"recovery\":{\"mode\":\"RESTART_FROM_LATEST\"},\"slotProfiles\":{\"default\":\"small\"}}");

    Path jar = Files.write(home.resolve("app.jar"), new byte[] {'P', 'K', 3, 4});
    assertThat(run("submit", "--upload", jar.toString(), "--entry-class", "com.example.App"))
        .isZero();
    String multipart = requests.get("POST /api/v1/jobs");
    assertThat(multipart)
        .startsWith("multipart/form-data; boundary=")
        .contains("Content-Disposition: form-data; name=\"spec\"")
        .contains("{\"entryClass\":\"com.example.App\"}")
        .contains("Content-Disposition: form-data; name=\"jar\"; filename=\"app.jar\"")
        .contains("PK\u0003\u0004");

    assertThat(run("submit", "--entry-class", "X")).isEqualTo(2);
    assertThat(run("submit", "--jar", "a.jar", "--upload", "b.jar")).isEqualTo(2);
  }

  @Test
  void reprofile_wait_reports_a_rollback_as_a_failure() {
    answer(
        "/api/v1/jobs/a1/slot-profiles",
        202,
        "application/json",
        "{\"id\":\"r1\",\"jobId\":\"a1\",\"state\":\"CHECKING\",\"attempts\":0}");
    answer(
        "/api/v1/jobs/a1/reprofiles/r1",
        200,
        "application/json",
        "{\"id\":\"r1\",\"state\":\"ROLLED_BACK\",\"newJobId\":\"a2\",\"error\":\"no slots\",\"attempts\":1}");

    assertThat(run("reprofile", "a1", "default=large", "--wait")).isEqualTo(1);
    assertThat(err())
        .endsWith(
            "error: re-profiling r1 ROLLED_BACK: no slots (it runs again with its old profiles as"
                + " a2)\n");
    assertThat(requests.get("PUT /api/v1/jobs/a1/slot-profiles"))
        .endsWith("{\"slotProfiles\":{\"default\":\"large\"}}");
    assertThat(run("reprofile", "a1")).isEqualTo(2);
  }

  @Test
  void usage_errors_and_help() {
    assertThat(run("jobs", "--bogus")).isEqualTo(2);
    assertThat(err())
        .isEqualTo("error: unknown option --bogus for 'jobs' (see flink-supervisor jobs --help)\n");
    assertThat(run("nonsense")).isEqualTo(2);
    assertThat(run("stop", "a1", "--no-savepoint", "--drain")).isEqualTo(2);
    assertThat(run("savepoint", "a1", "--timeout", "1m")).isEqualTo(2);
    assertThat(run("events", "--since", "yesterday")).isEqualTo(2);

    for (String command : Cli.COMMANDS) {
      out.reset();
      assertThat(run(command, "--help")).isZero();
      assertThat(out()).startsWith("Usage: flink-supervisor " + command).contains("Exit codes:");
    }
  }

  @Test
  void events_ask_since_a_duration_ago_and_print_oldest_first() {
    answer(
        "/api/v1/events",
        200,
        "application/json",
        "{\"events\":[{\"id\":2,\"count\":1,\"type\":\"B\"},{\"id\":1,\"count\":1,\"type\":\"A\"}]}");

    assertThat(run("events", "--job", "a1", "--since", "10m")).isZero();
    assertThat(out().indexOf(" A ")).isLessThan(out().indexOf(" B "));
    assertThat(requests.keySet())
        .anySatisfy(k -> assertThat(k).matches("GET /api/v1/events\\?jobId=a1&since=20\\d\\d-.*Z"));
  }

  @Test
  void a_sidecar_that_is_not_there_is_exit_6() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(run("jobs", "--url", "http://127.0.0.1:" + port)).isEqualTo(6);
    assertThat(err())
        .startsWith("error: cannot connect to http://127.0.0.1:" + port)
        .hasLineCount(1);
  }
}
