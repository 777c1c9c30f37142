package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushLoggingTest {

  private static final String TOKEN = "tok-SECRET-4711";

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private LogCapture log;
  private Receiver receiver;
  private SupervisorEventReporter reporter;

  @BeforeEach
  void start() throws IOException {
    log = LogCapture.capture();
    receiver = Receiver.start();
  }

  @AfterEach
  void stop() {
    if (reporter != null) {
      reporter.close();
    }
    receiver.close();
    log.close();
  }

  @Test
  void failures_warn_at_most_once_a_minute_and_recovery_is_told_once() throws IOException {
    receiver.answer(request -> 503);
    reporter = open(Map.of("token-file", writeToken().toString()));

    failOnce(1);
    awaitLines(Level.WARN, "fails", 1);
    clock.advance(Duration.ofSeconds(30));
    failOnce(2);
    failOnce(3);
    clock.advance(Duration.ofSeconds(30));
    failOnce(4);
    awaitLines(Level.WARN, "fails", 2);

    assertThat(log.lines(Level.WARN, "fails"))
        .extracting(LogCapture.Line::message)
        .satisfiesExactly(
            first -> assertThat(first).contains("1 events dropped", "HTTP 503"),
            second -> assertThat(second).contains("4 events dropped", "4 batches failed"));

    receiver.answer(request -> 200);
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    awaitLines(Level.INFO, "works again after 4 failed batches", 1);
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RUNNING"));
    Await.until("two deliveries", () -> reporter.stats().delivered() == 2, reporter::stats);
    reporter.close();

    assertThat(log.lines(Level.INFO, "works again")).hasSize(1);
    assertThat(log.lines(Level.WARN, "fails")).hasSize(2);
  }

  @Test
  void the_token_is_never_logged() throws IOException {
    receiver.answer(request -> 401);
    reporter = open(Map.of("token-file", writeToken().toString()));

    failOnce(1);
    receiver.close();
    failOnce(2);
    reporter.close();

    assertThat(log.lines()).isNotEmpty();
    assertThat(log.lines())
        .allSatisfy(
            line -> {
              assertThat(line.message()).doesNotContain(TOKEN);
              assertThat(stackTrace(line.thrown())).doesNotContain(TOKEN);
            });
  }

  @Test
  void a_missing_token_file_is_one_warning_with_its_path() {
    Path missing = dir.resolve("missing-token");
    reporter = open(Map.of("token-file", missing.toString()));

    failOnce(1);
    failOnce(2);

    assertThat(log.lines(Level.WARN, "The push token file " + missing + " does not exist"))
        .hasSize(1);
  }

  @Test
  void invalid_settings_are_one_clear_warning() {
    reporter = open(Map.of("token-file", "/t", "url", "ftp://127.0.0.1/events"));

    assertThat(log.lines(Level.WARN, "Events are not pushed"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.message())
                    .contains("'url' must be an http or https URL, got 'ftp://127.0.0.1/events'"));
  }

  private void failOnce(int failures) {
    reporter.notifyOfAddedEvent(TestEvents.jobStatus("RESTARTING"));
    Await.until(
        failures + " failed batches",
        () -> reporter.stats().failedBatches() == failures,
        reporter::stats);
  }

  private void awaitLines(Level level, String containing, int count) {
    Await.until(
        count + " " + level + " lines with '" + containing + "'",
        () -> log.lines(level, containing).size() == count,
        log::lines);
  }

  private Path writeToken() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    return file;
  }

  private SupervisorEventReporter open(Map<String, String> options) {
    Properties properties = new Properties();
    properties.put("url", receiver.url());
    properties.put("initial-backoff", "5 ms");
    properties.put("max-backoff", "5 ms");
    properties.putAll(options);
    SupervisorEventReporter opened = new SupervisorEventReporter(properties, clock);
    opened.open(new MetricConfig());
    return opened;
  }

  private static String stackTrace(Throwable thrown) {
    if (thrown == null) {
      return "";
    }
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
