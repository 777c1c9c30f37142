package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.events.Event;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorEventReporterTest {

  private static final int MANY = 100_000;

  @TempDir Path dir;

  private Path tokenFile;
  private final List<SupervisorEventReporter> reporters = new ArrayList<>();
  private final List<Receiver> receivers = new ArrayList<>();

  @BeforeEach
  void writeToken() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "  secret-1\n");
  }

  @AfterEach
  void closeAll() {
    reporters.forEach(SupervisorEventReporter::close);
    receivers.forEach(Receiver::close);
  }

  @Test
  void pushes_events_as_json_with_the_bearer_token() throws IOException {
    Receiver receiver = receiver();
    SupervisorEventReporter reporter = open(Map.of("url", receiver.url()));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    reporter.notifyOfAddedEvent(TestEvents.jobFailure("USER"));
    reporter.notifyOfAddedEvent(TestEvents.savepoint(42));
    Await.until("three events", () -> receiver.events().size() == 3, reporter::stats);

    Receiver.Request first = receiver.requests().get(0);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.path()).isEqualTo(Receiver.PATH);
    assertThat(first.authorization()).isEqualTo("Bearer secret-1");
    assertThat(first.contentType()).isEqualTo("application/json");
    assertThat(first.body().get("reporter").asText()).isEqualTo("jm-test");
    assertThat(first.body().get("sent").isIntegralNumber()).isTrue();
    assertThat(first.body().get("dropped").asLong()).isZero();
    assertThat(first.body().get("failedBatches").asLong()).isZero();

    List<JsonNode> events = receiver.events();
    JsonNode status = events.get(0);
    assertThat(status.get("name").asText()).isEqualTo("JobStatusChangeEvent");
    assertThat(status.get("observedAt").asLong()).isEqualTo(1_733_100_000_100L);
    assertThat(status.get("jobId").asText()).isEqualTo("3f1c0a");
    assertThat(status.get("jobName").asText()).isEqualTo("orders");
    assertThat(attributes(status)).containsExactly(Map.entry("newJobStatus", "RESTARTING"));

    assertThat(attributes(events.get(1)))
        .containsOnly(
            Map.entry("canRestart", "true"),
            Map.entry("isGlobalFailure", "false"),
            Map.entry("failureLabel.category", "USER"));
    assertThat(attributes(events.get(2)))
        .containsEntry("checkpointId", "42")
        .containsEntry("checkpointType", "Savepoint")
        .containsEntry("checkpointStatus", "COMPLETED")
        .doesNotContainKeys("<job_id>", "<job_name>", "<host>");
    // Counted once the sidecar's answer is back, a moment after the receiver has the events.
    Await.until("three delivered", () -> reporter.stats().delivered() == 3, reporter::stats);
  }

  @Test
  void reports_what_it_costs_the_jobmanager() throws IOException {
    Receiver receiver = receiver();
    SupervisorEventReporter reporter = open(Map.of("url", receiver.url()));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    reporter.notifyOfAddedEvent(TestEvents.allSubtasks()); // filtered out, and still a call
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("two events", () -> receiver.events().size() == 2, reporter::stats);

    assertThat(reporter.stats().handOffs()).isEqualTo(3);
    assertThat(reporter.stats().handOffNanos()).isPositive();
    assertThat(reporter.stats().handOffMaxNanos())
        .isPositive()
        .isLessThanOrEqualTo(reporter.stats().handOffNanos());
    JsonNode cost = receiver.requests().get(receiver.requests().size() - 1).body().get("cost");
    assertThat(cost.get("handOffs").asLong()).isBetween(1L, 3L);
    assertThat(cost.get("senderCpuNanos").asLong()).isNotZero();
  }

  @Test
  void sends_many_events_in_few_batches() throws IOException {
    Receiver receiver = receiver();
    receiver.hang();
    SupervisorEventReporter reporter =
        open(Map.of("url", receiver.url(), "batch-size", "100", "timeout", "10 s"));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("the first request", () -> receiver.requests().size() == 1);
    for (int i = 0; i < 250; i++) {
      reporter.notifyOfAddedEvent(TestEvents.savepoint(i));
    }
    receiver.release();
    Await.until("251 events", () -> receiver.events().size() == 251, reporter::stats);

    assertThat(receiver.requests()).hasSizeLessThanOrEqualTo(4);
    assertThat(receiver.requests())
        .allSatisfy(request -> assertThat(request.body().get("events").size()).isBetween(1, 100));
    assertThat(receiver.events().get(250).get("attributes").get("checkpointId").asText())
        .isEqualTo("249");
    assertThat(reporter.stats().dropped()).isZero();
  }

  @Test
  void pushes_only_the_default_event_names() throws IOException {
    Receiver receiver = receiver();
    SupervisorEventReporter reporter = open(Map.of("url", receiver.url()));

    reporter.notifyOfAddedEvent(TestEvents.allSubtasks());
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("one event", () -> reporter.stats().delivered() == 1, reporter::stats);

    assertThat(receiver.events())
        .extracting(event -> event.get("name").asText())
        .containsExactly("JobStatusChangeEvent");
    assertThat(reporter.stats().received()).isEqualTo(1);
  }

  @Test
  void pushes_only_the_configured_event_names() throws IOException {
    Receiver receiver = receiver();
    SupervisorEventReporter reporter =
        open(
            Map.of(
                "url", receiver.url(), "events", " JobFailureEvent, AllSubtasksStatusChangeEvent"));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    reporter.notifyOfAddedEvent(TestEvents.savepoint(1));
    reporter.notifyOfAddedEvent(TestEvents.jobFailure("SYSTEM"));
    reporter.notifyOfAddedEvent(TestEvents.allSubtasks());
    Await.until("two events", () -> reporter.stats().delivered() == 2, reporter::stats);

    assertThat(receiver.events())
        .extracting(event -> event.get("name").asText())
        .containsExactly("JobFailureEvent", "AllSubtasksStatusChangeEvent");
  }

  @Test
  void notify_does_not_block_while_the_receiver_hangs_and_every_event_is_accounted_for()
      throws IOException {
    Receiver receiver = receiver();
    receiver.hang();
    SupervisorEventReporter reporter =
        open(Map.of("url", receiver.url(), "timeout", "300 ms", "queue-capacity", "1000"));

    for (int i = 0; i < MANY; i++) {
      reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    }

    PushStats stats = reporter.stats();
    assertThat(stats.received()).isEqualTo(MANY);
    assertThat(stats.dropped()).isGreaterThanOrEqualTo(MANY - 1000 - 100);
    reporter.close();
    assertThat(stats.dropped() + stats.delivered() + reporter.queued() + stats.inFlight())
        .isEqualTo(MANY);
    assertThat(stats.delivered()).isZero();
  }

  @Test
  void notify_does_not_block_while_nothing_listens_and_every_event_is_accounted_for()
      throws IOException {
    SupervisorEventReporter reporter = open(Map.of("url", Receiver.url(Receiver.freePort())));

    for (int i = 0; i < MANY; i++) {
      reporter.notifyOfAddedEvent(TestEvents.jobFailure("USER"));
    }
    Await.until("a failed batch", () -> reporter.stats().failedBatches() > 0, reporter::stats);

    PushStats stats = reporter.stats();
    assertThat(stats.received()).isEqualTo(MANY);
    reporter.close();
    assertThat(stats.dropped() + stats.delivered() + reporter.queued() + stats.inFlight())
        .isEqualTo(MANY);
    assertThat(stats.dropped()).isEqualTo(MANY);
  }

  @Test
  void an_event_that_cannot_be_read_is_counted_as_dropped() throws IOException {
    SupervisorEventReporter reporter = open(Map.of("url", Receiver.url(Receiver.freePort())));
    Event broken =
        new Event() {
          @Override
          public long getObservedTsMillis() {
            return 0;
          }

          @Override
          public String getName() {
            return "JobStatusChangeEvent";
          }

          @Override
          public String getClassScope() {
            return "";
          }

          @Override
          public String getBody() {
            return "";
          }

          @Override
          public String getSeverity() {
            return "";
          }

          @Override
          public Map<String, Object> getAttributes() {
            throw new IllegalStateException("broken");
          }
        };

    assertThatCode(() -> reporter.notifyOfAddedEvent(broken)).doesNotThrowAnyException();
    assertThatCode(() -> reporter.notifyOfAddedEvent(null)).doesNotThrowAnyException();

    assertThat(reporter.stats().received()).isEqualTo(2);
    assertThat(reporter.stats().dropped()).isEqualTo(2);
  }

  @Test
  void resumes_when_the_receiver_comes_back_and_reports_the_drops() throws IOException {
    int port = Receiver.freePort();
    SupervisorEventReporter reporter = open(Map.of("url", Receiver.url(port)));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    Await.until("a failed batch", () -> reporter.stats().failedBatches() > 0, reporter::stats);

    Receiver receiver = receiver(port);
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("a delivery", () -> reporter.stats().delivered() == 1, reporter::stats);

    JsonNode body = receiver.requests().get(0).body();
    assertThat(body.get("dropped").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(body.get("failedBatches").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(receiver.events())
        .extracting(event -> event.get("attributes").get("newJobStatus").asText())
        .containsExactly("RUNNING");
  }

  @Test
  void rereads_the_token_file_after_a_401() throws IOException {
    Files.writeString(tokenFile, "old-token");
    Receiver receiver = receiver();
    receiver.answer(request -> "Bearer new-token".equals(request.authorization()) ? 200 : 401);
    SupervisorEventReporter reporter = open(Map.of("url", receiver.url()));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    Await.until("a rejected batch", () -> reporter.stats().failedBatches() == 1, reporter::stats);
    // Same size as before, and the regular check is ten seconds away: only the 401 makes it read.
    Files.writeString(tokenFile, "new-token");
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("a delivery", () -> reporter.stats().delivered() == 1, reporter::stats);

    assertThat(receiver.requests())
        .extracting(Receiver.Request::authorization)
        .containsExactly("Bearer old-token", "Bearer new-token");
  }

  @Test
  void a_missing_token_file_fails_batches_until_it_appears() throws IOException {
    Path missing = dir.resolve("later/token");
    Receiver receiver = receiver();
    SupervisorEventReporter reporter =
        assertDoesNotThrow(
            () -> open(Map.of("url", receiver.url(), "token-file", missing.toString())));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    Await.until("a failed batch", () -> reporter.stats().failedBatches() == 1, reporter::stats);
    assertThat(receiver.requests()).isEmpty();

    Files.createDirectories(missing.getParent());
    Files.writeString(missing, "appeared\n");
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("a delivery", () -> reporter.stats().delivered() == 1, reporter::stats);

    Receiver.Request request = receiver.requests().get(0);
    assertThat(request.authorization()).isEqualTo("Bearer appeared");
    assertThat(request.body().get("failedBatches").asLong()).isEqualTo(1);
    assertThat(request.body().get("dropped").asLong()).isEqualTo(1);
  }

  @Test
  void close_returns_promptly_while_the_receiver_hangs() throws IOException {
    Receiver receiver = receiver();
    receiver.hang();
    SupervisorEventReporter reporter = open(Map.of("url", receiver.url(), "timeout", "1 min"));
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("FAILING"));
    Await.until("the hanging request", () -> receiver.requests().size() == 1);

    // The bound is a safety net for a hanging build, far above the one second close() may wait.
    assertTimeoutPreemptively(Duration.ofSeconds(10), reporter::close);

    assertThat(senderThreadsAlive()).isZero();
    PushStats stats = reporter.stats();
    assertThat(stats.dropped() + stats.delivered()).isEqualTo(2);
  }

  @Test
  void an_invalid_url_leaves_a_disabled_reporter_that_counts_drops() {
    SupervisorEventReporter reporter =
        assertDoesNotThrow(() -> open(Map.of("url", "ftp://127.0.0.1/events")));

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));

    assertThat(reporter.stats().dropped()).isEqualTo(1);
    assertThat(senderThreadsAlive()).isZero();
    assertThatCode(reporter::close).doesNotThrowAnyException();
  }

  @Test
  void no_token_file_option_leaves_a_disabled_reporter() {
    Properties properties = new Properties();
    properties.put("url", "http://127.0.0.1:1/push/v1/events");
    SupervisorEventReporter reporter =
        (SupervisorEventReporter)
            new SupervisorEventReporterFactory().createEventReporter(properties);
    reporters.add(reporter);

    assertThatCode(() -> reporter.open(new MetricConfig())).doesNotThrowAnyException();
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));

    assertThat(reporter.stats().dropped()).isEqualTo(1);
    assertThat(senderThreadsAlive()).isZero();
  }

  @Test
  void options_given_to_the_factory_and_to_open_are_merged() throws IOException {
    Receiver receiver = receiver();
    Properties factoryProperties = new Properties();
    factoryProperties.put("token-file", tokenFile.toString());
    factoryProperties.put("reporter-name", "from-factory");
    MetricConfig openConfig = new MetricConfig();
    openConfig.put("url", receiver.url());
    openConfig.put("reporter-name", "from-open");
    openConfig.put("batch-size", 10); // Flink may hand over typed values
    SupervisorEventReporter reporter =
        (SupervisorEventReporter)
            new SupervisorEventReporterFactory().createEventReporter(factoryProperties);
    reporters.add(reporter);
    reporter.open(openConfig);

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("a delivery", () -> reporter.stats().delivered() == 1, reporter::stats);

    assertThat(receiver.requests().get(0).body().get("reporter").asText()).isEqualTo("from-open");
  }

  @Test
  void events_before_open_and_after_close_are_counted_as_dropped() throws IOException {
    Receiver receiver = receiver();
    Properties properties = options(Map.of("url", receiver.url()));
    SupervisorEventReporter reporter =
        (SupervisorEventReporter)
            new SupervisorEventReporterFactory().createEventReporter(properties);
    reporters.add(reporter);

    reporter.notifyOfAddedEvent(TestEvents.jobStatus("CREATED"));
    reporter.open(metricConfig(properties));
    reporter.close();
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("CANCELED"));

    assertThat(reporter.stats().received()).isEqualTo(2);
    assertThat(reporter.stats().dropped()).isEqualTo(2);
    assertThat(receiver.requests()).isEmpty();
  }

  private Receiver receiver() throws IOException {
    Receiver receiver = Receiver.start();
    receivers.add(receiver);
    return receiver;
  }

  private Receiver receiver(int port) throws IOException {
    Receiver receiver = Receiver.start(port);
    receivers.add(receiver);
    return receiver;
  }

  /** Opens a reporter the way Flink does: the factory and then open(), both with the options. */
  private SupervisorEventReporter open(Map<String, String> overrides) {
    Properties properties = options(overrides);
    SupervisorEventReporter reporter =
        (SupervisorEventReporter)
            new SupervisorEventReporterFactory().createEventReporter(properties);
    reporters.add(reporter);
    reporter.open(metricConfig(properties));
    return reporter;
  }

  private Properties options(Map<String, String> overrides) {
    Map<String, String> options = new HashMap<>();
    options.put("token-file", tokenFile.toString());
    options.put("reporter-name", "jm-test");
    options.put("initial-backoff", "10 ms");
    options.put("max-backoff", "50 ms");
    options.put("timeout", "5 s");
    options.putAll(overrides);
    Properties properties = new Properties();
    properties.putAll(options);
    return properties;
  }

  private static MetricConfig metricConfig(Properties properties) {
    MetricConfig config = new MetricConfig();
    config.putAll(properties);
    return config;
  }

  private static Map<String, String> attributes(JsonNode event) {
    Map<String, String> attributes = new HashMap<>();
    event
        .get("attributes")
        .properties()
        .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    return attributes;
  }

  private static long senderThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(PushSender.THREAD_NAME) && thread.isAlive())
        .count();
  }
}
