package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.Leader;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Leadership;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request threads never wait for Flink, one job's stalled call never holds another job's action,
 * and a slow event-stream reader only slows itself.
 */
class ThreadIsolationTest {
  private static final String TOKEN = "operator";
  private static final String STALLED = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
  private static final String HEALTHY = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

  private final ClusterState state = new ClusterState();
  private final EventLog events = new EventLog(Clock.systemUTC(), 10_000);
  private final FakeFlinkSavepoints flink = new FakeFlinkSavepoints();
  private final CompletableFuture<Void> stalled = new CompletableFuture<>();
  private final MetricsSetup metrics = TestAdminApis.metrics();
  private AdminApi api;

  private HttpTestClient start() {
    Instant now = Instant.now();
    Map<String, JobView> jobs = new HashMap<>();
    for (String id : new String[] {STALLED, HEALTHY}) {
      jobs.put(
          id,
          JobView.firstSeen(new JobSummary(id, "job-" + id, JobStatus.RUNNING, 1, -1, 1, 1))
              .withProgress(
                  new JobProgress(
                      0,
                      Optional.of(new CheckpointInfo(1, 1, false, "file:/cp")),
                      Optional.empty(),
                      1,
                      0),
                  now));
    }
    state.update(
        s ->
            s.withLeadership(
                    new Leadership(
                        Optional.of(new Leader("http://10.0.0.7:8081", "sid", now)),
                        Role.ACTIVE,
                        now,
                        1,
                        1))
                .withJobs(jobs, now));
    // The JobManager answers every call at once, except a trigger for one job: that never returns.
    flink.trigger =
        (job, trigger) -> job.equals(STALLED) ? stalled : CompletableFuture.completedFuture(null);
    api =
        TestAdminApis.create(
                TestAdminApis.settings(Map.of(TOKEN, ApiRole.OPERATOR), Optional.empty(), 4),
                state,
                events,
                flink,
                metrics,
                Clock.systemUTC())
            .start();
    return new HttpTestClient(api.port());
  }

  @AfterEach
  void stop() {
    stalled.complete(null);
    if (api != null) {
      api.close();
    }
  }

  private static Response trigger(HttpTestClient http, String job) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs/" + job + "/savepoints"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  @Test
  void a_stalled_call_for_one_job_holds_neither_requests_nor_other_jobs_savepoints()
      throws Exception {
    HttpTestClient http = start();

    Response stalledRequest = trigger(http, STALLED);
    assertThat(stalledRequest.status()).as("answered although Flink never does").isEqualTo(202);
    Await.until(
        "the stalled trigger to reach Flink",
        Duration.ofSeconds(10),
        () -> flink.count("trigger") > 0 ? true : null);

    Response healthy = trigger(http, HEALTHY);
    assertThat(healthy.status()).isEqualTo(202);
    String id = healthy.json().get("id").asText();
    Await.until(
        "the other job's savepoint to complete while the first is stalled",
        Duration.ofSeconds(10),
        () ->
            "COMPLETED"
                    .equals(
                        http.get("/api/v1/jobs/" + HEALTHY + "/savepoints/" + id, TOKEN)
                            .json()
                            .path("state")
                            .asText())
                ? true
                : null);
    assertThat(http.get("/api/v1/jobs", TOKEN).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/jobs/" + STALLED, TOKEN).status()).isEqualTo(200);
    assertThat(
            http.get("/api/v1/jobs/" + STALLED + "/savepoints", TOKEN)
                .json()
                .at("/savepoints/0/state")
                .asText())
        .isEqualTo("TRIGGER_PENDING");
  }

  @Test
  void a_reader_that_stops_reading_is_dropped_and_never_delays_the_others() throws Exception {
    start();
    // One client asks for the stream and never reads it; the other reads every event.
    Socket slow = openStream();
    Socket fast = openStream();
    BufferedReader fastLines =
        new BufferedReader(new InputStreamReader(fast.getInputStream(), StandardCharsets.UTF_8));
    Await.until(
        "both streams to be open",
        Duration.ofSeconds(10),
        () -> events.subscriptions() == 2 ? true : null);
    java.util.concurrent.atomic.AtomicInteger lastSeen =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    java.util.regex.Pattern number = java.util.regex.Pattern.compile("event (\\d+) ");
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = fastLines.readLine()) != null) {
                  java.util.regex.Matcher m = number.matcher(line);
                  if (line.startsWith("data:") && m.find()) {
                    lastSeen.set(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (Exception e) {
                // the test closes the socket
              }
            });
    reader.start();

    // Events are recorded as fast as the reading client takes them, never waiting for the other.
    String padding = "x".repeat(500);
    int count = 20_000;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int i = 0; i < count; i++) {
      while (i - lastSeen.get() > 50 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      events.record("T", Severity.INFO, null, "event " + i + " " + padding);
    }

    Await.until(
        "the reading client to get the last event",
        Duration.ofSeconds(30),
        () -> lastSeen.get() == count - 1 ? true : null);
    Await.until(
        "the client that does not read to be dropped",
        Duration.ofSeconds(30),
        () -> events.subscriptions() == 1 ? true : null);
    slow.close();
    fast.close();
    reader.join(5_000);
  }

  private Socket openStream() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), api.port()));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /api/v1/events/stream HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Accept: text/event-stream\r\n"
                + "Authorization: Bearer "
                + TOKEN
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
