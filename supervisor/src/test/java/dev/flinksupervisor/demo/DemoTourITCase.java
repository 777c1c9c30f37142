package dev.flinksupervisor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.cli.Cli;
import dev.flinksupervisor.config.SupervisorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a new user meets it: started with a configuration file and a SUPERVISOR_* variable
 * over its own settings, it prints where things are and one command per feature; every printed
 * command is then run as printed, in order (the command line in-process, curl as a shell would),
 * and must succeed.
 */
class DemoTourITCase {
  private static final String TOKEN = "demo-tour-it-token";

  @TempDir static Path dir;
  private static DemoMain.Started started;
  private static String printed;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("demo.yaml");
    Files.writeString(
        config,
        """
        savepoints:
          interval: 7m
        slot-profiles:
          tiny:
            cpu-cores: 0.1
            task-heap: 32m
        """);
    started =
        DemoMain.start(
            List.of("--api-port", "0", "--config", config.toString()),
            Map.of(
                SupervisorOptions.ADMIN_TOKEN.envName(),
                TOKEN,
                SupervisorOptions.STALE_AFTER.envName(),
                "45s"),
            dir.resolve("work"),
            Clock.systemUTC());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoMain.printTour(started, new PrintStream(out, true, StandardCharsets.UTF_8));
    printed = out.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
  }

  @AfterAll
  static void stop() throws Exception {
    if (started != null) {
      started.close();
    }
  }

  @Test
  void the_file_and_the_environment_go_over_the_tours_settings() {
    var config = started.demo().sidecarConfig();
    assertThat(config.get(SupervisorOptions.SAVEPOINT_INTERVAL)).isEqualTo(Duration.ofMinutes(7));
    assertThat(config.get(SupervisorOptions.STALE_AFTER)).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.slotProfiles().all()).containsKeys("small", "large", "tiny");
    assertThat(started.generated()).isFalse();
    assertThat(printed)
        .contains("Work directory:  " + dir.resolve("work"))
        .contains("Status page:")
        .contains("/status#token=" + TOKEN);
  }

  @Test
  void every_printed_command_works_as_printed() throws Exception {
    Map<String, String> shell =
        Map.of("FLINK_SUPERVISOR_URL", started.url(), "FLINK_SUPERVISOR_TOKEN", started.token());
    for (String line : DemoMain.setupLines(started)) {
      assertThat(printed).contains(line);
    }
    for (String[] step : DemoMain.steps(started)) {
      String command = step[1];
      assertThat(printed).contains("  " + command + "\n");
      if (command.startsWith("curl ")) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().putAll(shell);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:\n%s", command, output).isZero();
        assertThat(output).as(command).contains("flink_supervisor_");
        continue;
      }
      assertThat(command).startsWith("flink-supervisor ");
      String[] args = command.substring("flink-supervisor ".length()).split(" ");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Cli cli =
          new Cli(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              shell);
      int code;
      if (List.of(args).contains("--follow")) {
        CompletableFuture<Integer> following = CompletableFuture.supplyAsync(() -> cli.run(args));
        Await.until(
            "the event stream to be open",
            Duration.ofSeconds(60),
            () ->
                err.toString(StandardCharsets.UTF_8).contains("Following the events")
                    ? true
                    : null);
        // A live event: a savepoint of the demo job, taken meanwhile.
        assertThat(
                new Cli(System.out, System.err, shell)
                    .run("savepoint", started.demo().jobId().toHexString(), "--wait"))
            .isZero();
        Await.until(
            "a live SAVEPOINT_COMPLETED event",
            Duration.ofSeconds(60),
            () ->
                out.toString(StandardCharsets.UTF_8).contains("SAVEPOINT_COMPLETED") ? true : null);
        cli.stop();
        code = following.get(30, TimeUnit.SECONDS);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SAVEPOINT_COMPLETED");
      } else {
        code = cli.run(args);
      }
      System.out.println("$ " + command + "\n" + out + err);
      assertThat(code).as("%s\n%s%s", command, out, err).isZero();
    }
  }
}
