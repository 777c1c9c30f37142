package dev.flinksupervisor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Main;
import dev.flinksupervisor.cli.Cli;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.config.Values;
import dev.flinksupervisor.util.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's command line, {@code java -jar flink-supervisor-demo.jar [--api-port N] [--config
 * FILE]}: an embedded Kubernetes API, a Flink cluster with Kubernetes HA, the example job and the
 * sidecar, in one process, until Ctrl-C; then a tour of every feature, one command each. It ships
 * in its own jar; the sidecar's jar carries none of it.
 */
public final class DemoMain {
  static final String USAGE =
      """
      Usage:
        java -jar flink-supervisor-demo.jar [--api-port N] [--config FILE]
        java -jar flink-supervisor-demo.jar <command> ...   the command line (jobs, savepoint, ...)

        --api-port N    the admin API's port (default 8085; 0 for any free one)
        --config FILE   sidecar options in YAML, over the demo's own (environment variables
                        SUPERVISOR_* go over both); the demo's cluster and Kubernetes API stay
      """;
  static final String TOKEN_ENV = SupervisorOptions.ADMIN_TOKEN.envName();
  static final String LOG_PROPERTY = "flink-supervisor.demo.log";

  private DemoMain() {}

  /** The demo as started: the cluster, the sidecar's URL and token, and the tour's second job. */
  public record Started(
      Demo demo, Path workDir, String url, String token, boolean generated, String tourJobId)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      demo.close();
    }
  }

  public static void main(String[] args) {
    try {
      if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
        System.out.print(USAGE);
        return;
      }
      if (args.length > 0 && Cli.COMMANDS.contains(args[0])) {
        // The on-call command line is in this jar too, so that the tour's commands run from it.
        System.exit(Cli.main(args));
      }
      Path workDir = Files.createTempDirectory("flink-supervisor-demo");
      // Before anything logs: the log goes to a file, the console shows the tour.
      System.setProperty(LOG_PROPERTY, workDir.resolve("demo.log").toString());
      System.setProperty("log4j2.configurationFile", "classpath:log4j2-demo.properties");
      System.out.println("Starting the demo in " + workDir + " (about 10 s) ...");
      Started started = start(List.of(args), System.getenv(), workDir, Clock.systemUTC());
      printTour(started, System.out);
      Main.awaitShutdown(
          () -> {
            System.out.println("Stopping the demo ...");
            started.close();
            System.out.println("Stopped. Its files stay in " + workDir + ".");
          });
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("The flink-supervisor demo failed to start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Starts the demo and its tour in {@code workDir}, with {@code args} and {@code env}. */
  public static Started start(List<String> args, Map<String, String> env, Path workDir, Clock clock)
      throws Exception {
    String port = "8085";
    Path config = null;
    int first = !args.isEmpty() && "demo".equals(args.get(0)) ? 1 : 0;
    for (int i = first; i < args.size(); i++) {
      String arg = args.get(i);
      if ("--api-port".equals(arg) && i + 1 < args.size()) {
        port = args.get(++i);
      } else if ("--config".equals(arg) && i + 1 < args.size()) {
        config = Path.of(args.get(++i));
      } else {
        throw new ConfigException("Unknown demo argument '" + arg + "'.\n" + USAGE);
      }
    }
    try {
      Values.port(port);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid value '" + port + "' for --api-port: " + e.getMessage());
    }
    Map<String, String> settings = new LinkedHashMap<>(Tour.settings(workDir));
    settings.put(SupervisorOptions.API_PORT.key(), port);
    settings.put(SupervisorOptions.API_HOST.key(), "127.0.0.1");
    if (config != null) {
      settings.putAll(ConfigLoader.readYaml(config));
    }
    String token = env.get(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      token = settings.get(SupervisorOptions.ADMIN_TOKEN.key());
    }
    boolean generated = token == null || token.isBlank();
    if (generated) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = HexFormat.of().formatHex(bytes);
      settings.put(SupervisorOptions.ADMIN_TOKEN.key(), token);
    }
    Demo demo = Demo.start(workDir, settings, env, clock);
    try {
      String url =
          (demo.sidecarConfig().getOptional(SupervisorOptions.TLS_CERTIFICATE).isPresent()
                  ? "https"
                  : "http")
              + "://127.0.0.1:"
              + demo.apiPort();
      String tourJob = submitTourJob(url, token);
      return new Started(demo, workDir, url, token, generated, tourJob);
    } catch (Exception e) {
      demo.close();
      throw e;
    }
  }

  /**
   * Submits the example job through the sidecar with the small slot profile, as a user would, so
   * that the tour can re-profile and stop a job the sidecar owns; waits until it runs.
   */
  static String submitTourJob(String url, String token) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String spec =
        Json.writeString(
            Map.of(
                "jarPath", Tour.EXAMPLE_JAR,
                "entryClass", Tour.EXAMPLE_CLASS,
                "args", List.of("--name", "tour-job"),
                "slotProfiles", Map.of("default", "small"),
                "recovery", Map.of("mode", "RESTART_FROM_LATEST")));
    String jobId =
        Await.until(
            "the sidecar to take the tour's job",
            Duration.ofSeconds(90),
            () -> {
              HttpResponse<String> r =
                  send(
                      http,
                      HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs"))
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(spec))
                          .build());
              if (r.statusCode() == 202) {
                return json(r).get("jobId").asText();
              }
              if (r.statusCode() == 409 || r.statusCode() == 503) {
                return null; // not ACTIVE yet, or its record not read yet
              }
              throw new IllegalStateException(
                  "The sidecar refused the tour's job: " + r.statusCode() + " " + r.body());
            });
    Await.until(
        "the tour's job to run",
        Duration.ofSeconds(90),
        () -> {
          HttpResponse<String> r =
              send(
                  http,
                  HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs/" + jobId))
                      .header("Authorization", "Bearer " + token)
                      .build());
          if (r.statusCode() != 200) {
            return null;
          }
          JsonNode job = json(r);
          return "RUNNING".equals(job.path("status").asText()) ? Boolean.TRUE : null;
        });
    return jobId;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The command that runs this jar's command line, as a shell alias. */
  static String cliCommand() {
    try {
      Path self =
          Path.of(DemoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(self)
          ? "java -jar " + self
          : "java -cp " + System.getProperty("java.class.path") + " " + DemoMain.class.getName();
    } catch (Exception e) {
      return "java -jar flink-supervisor-demo.jar";
    }
  }

  /** The tour: where things are, and one command per feature that works as printed. */
  static void printTour(Started s, PrintStream out) {
    String demoJob = s.demo().jobId().toHexString();
    String log = System.getProperty(LOG_PROPERTY, "the console");
    out.printf(
        """

        flink-supervisor demo is running.
          Kubernetes API:  %s
          Flink cluster:   %s (Kubernetes HA, 1 TaskManager with 4 slots)
          Jobs:            %s  demo-job (started by Flink's client)
                           %s  tour-job (submitted through the sidecar, slot profile 'small')
          Admin API:       %s
          Admin token:     %s
          Status page:     %s/status#token=%s
          Work directory:  %s (jars in usrlib/, savepoints in flink/savepoints/)
          Log:             %s

        Set up a shell (the command line is in this jar):
        """,
        s.demo().kubernetes().describe(),
        s.demo().clusterId(),
        demoJob,
        s.tourJobId(),
        s.url(),
        s.generated()
            ? s.token() + "  (generated; set " + TOKEN_ENV + " to choose one)"
            : "(yours)",
        s.url(),
        s.token(),
        s.workDir(),
        log);
    for (String line : setupLines(s)) {
      out.println("  " + line);
    }
    out.println();
    out.println("Then try each feature:");
    for (String[] step : steps(s)) {
      out.println("  # " + step[0]);
      out.println("  " + step[1]);
    }
    out.println();
    out.println("Press Ctrl-C to stop.");
  }

  /** The shell lines that make the tour's commands work as printed. */
  public static List<String> setupLines(Started s) {
    return List.of(
        "alias flink-supervisor='" + cliCommand() + "'",
        "export FLINK_SUPERVISOR_URL=" + s.url(),
        "export FLINK_SUPERVISOR_TOKEN=" + s.token());
  }

  /** Each feature and the one command that shows it, in an order that works top to bottom. */
  public static List<String[]> steps(Started s) {
    String demoJob = s.demo().jobId().toHexString();
    String tourJob = s.tourJobId();
    return List.of(
        new String[] {"every job, its health and restorable state", "flink-supervisor jobs"},
        new String[] {
          "the cluster, the leader and this sidecar's role", "flink-supervisor cluster"
        },
        new String[] {
          "trigger a savepoint and follow it until it completes",
          "flink-supervisor savepoint " + demoJob + " --wait"
        },
        new String[] {
          "submit the example job from the jar directory with the 'small' slot profile",
          "flink-supervisor submit --jar "
              + Tour.EXAMPLE_JAR
              + " --entry-class "
              + Tour.EXAMPLE_CLASS
              + " --slot-profile default=small"
        },
        new String[] {
          "re-profile a running job to the 'large' profile (stop with a savepoint, run again)",
          "flink-supervisor reprofile " + tourJob + " default=large --wait"
        },
        new String[] {"the events so far", "flink-supervisor events"},
        new String[] {
          "the sidecar's metrics",
          "curl -s $FLINK_SUPERVISOR_URL/metrics | grep ^flink_supervisor_ | head -20"
        },
        new String[] {
          "watch events live, in a second terminal (Ctrl-C ends it)",
          "flink-supervisor events --follow"
        },
        new String[] {
          "stop a job with a savepoint (the demo job; re-profiling gave the tour's job a new id)",
          "flink-supervisor stop " + demoJob + " --wait"
        });
  }
}
