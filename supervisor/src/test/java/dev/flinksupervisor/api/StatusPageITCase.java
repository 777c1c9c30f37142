package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.Demo;
import dev.flinksupervisor.testing.HeadlessChromium;
import dev.flinksupervisor.testing.HttpTestClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium against the demo's live sidecar: it shows the demo
 * job RUNNING and HEALTHY, and a savepoint triggered meanwhile within seconds; a screenshot is kept
 * as target/status-page.png. Debian's 'chromium' package provides the browser (.ci/run installs it
 * and sets FLINK_SUPERVISOR_REQUIRE_CHROMIUM, so that there the test cannot be skipped).
 */
class StatusPageITCase {
  private static final String TOKEN = "status-page-it-operator-token";
  private static final String VIEWER = "status-page-it-viewer-token";

  @TempDir static Path workDir;
  private static Demo demo;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    Optional<String> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      String reason = "No Chromium on the PATH: the status page was not loaded in a browser";
      System.out.println("SKIPPED: " + reason);
      assertThat(System.getenv("FLINK_SUPERVISOR_REQUIRE_CHROMIUM"))
          .as("%s, but FLINK_SUPERVISOR_REQUIRE_CHROMIUM is set", reason)
          .isNull();
      assumeTrue(false, reason);
    }
    demo =
        Demo.start(
            workDir.resolve("demo"),
            Map.of(
                SupervisorOptions.API_HOST.key(), "127.0.0.1",
                SupervisorOptions.API_PORT.key(), "0",
                SupervisorOptions.ADMIN_TOKEN.key(), TOKEN,
                SupervisorOptions.VIEWER_TOKEN.key(), VIEWER,
                SupervisorOptions.DETAILS_INTERVAL.key(), "1s"),
            Clock.systemUTC());
    http = new HttpTestClient(demo.apiPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void shows_the_running_job_and_a_new_savepoint_within_seconds() throws Exception {
    String jobId = demo.jobId().toHexString();
    try (HeadlessChromium browser =
        HeadlessChromium.start(
            HeadlessChromium.find().orElseThrow(), workDir.resolve("chromium"))) {
      browser.navigate(http.baseUrl() + "/status#token=" + VIEWER);
      String row = "document.querySelector('tr[data-job-id=\"" + jobId + "\"]')";
      browser.await(
          "the demo job RUNNING and HEALTHY",
          "!!"
              + row
              + " && "
              + row
              + ".innerText.includes('RUNNING') && "
              + row
              + ".querySelector('.verdict').innerText === 'HEALTHY'",
          Duration.ofSeconds(90));
      assertThat(browser.evaluate("document.querySelector('.role-ACTIVE') !== null").asBoolean())
          .as("the sidecar's role")
          .isTrue();
      assertThat(browser.evaluate("location.hash").asText())
          .as("the token leaves the address bar")
          .isEmpty();
      browser.await(
          "the live event stream",
          "document.getElementById('stream-state').innerText === '(live)'",
          Duration.ofSeconds(30));

      Instant triggered = Instant.now();
      String savepoint =
          Await.until(
              "the savepoint to be accepted",
              Duration.ofSeconds(60),
              () -> {
                HttpTestClient.Response r =
                    http.postJson("/api/v1/jobs/" + jobId + "/savepoints", TOKEN, "{}");
                return r.status() == 202 ? r.json().get("id").asText() : null;
              });
      browser.await(
          "the savepoint completed",
          "document.querySelector('li[data-savepoint-id=\""
              + savepoint
              + "\"][data-state=\"COMPLETED\"]') !== null",
          Duration.ofSeconds(30));
      Duration shownAfter = Duration.between(triggered, Instant.now());
      System.out.println(
          "The status page showed the completed savepoint "
              + shownAfter
              + " after it was triggered: "
              + http.get("/api/v1/jobs/" + jobId + "/savepoints/" + savepoint, TOKEN).body());
      browser.await(
          "the savepoint's events",
          "document.getElementById('events').innerText.includes('SAVEPOINT_COMPLETED')",
          Duration.ofSeconds(10));
      assertThat(
              browser
                  .evaluate(
                      "document.querySelector('circle[data-savepoint-id=\""
                          + savepoint
                          + "\"]') !== null")
                  .asBoolean())
          .as("the savepoint on the job's timeline")
          .isTrue();
      browser.screenshot(Path.of("target", "status-page.png"));
    }
  }

  @Test
  void a_refused_token_is_said_on_the_page_and_nothing_is_shown() throws Exception {
    try (HeadlessChromium browser =
        HeadlessChromium.start(
            HeadlessChromium.find().orElseThrow(), workDir.resolve("chromium-refused"))) {
      browser.navigate(http.baseUrl() + "/status#token=not-a-token");
      browser.await(
          "the refusal",
          "document.getElementById('problem').innerText.includes('The token was refused')",
          Duration.ofSeconds(30));
      assertThat(browser.evaluate("document.querySelectorAll('#jobs tbody tr').length").asInt())
          .isZero();
    }
  }

  @Test
  void the_page_loads_only_itself_and_talks_only_to_the_sidecar() {
    HttpTestClient.Response page = http.get("/status", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .contains("connect-src 'self'");
    for (String file : new String[] {"/status", "/status/status.js", "/status/status.css"}) {
      String body = http.get(file, null).body();
      assertThat(body.replace("http://www.w3.org/2000/svg", ""))
          .as("%s names nothing outside the sidecar", file)
          .doesNotContain("http://")
          .doesNotContain("https://")
          .doesNotContain("//cdn");
    }
  }
}
