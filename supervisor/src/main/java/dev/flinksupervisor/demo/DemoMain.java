package dev.flinksupervisor.demo;

import dev.flinksupervisor.Main;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.config.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo's command line, {@code java -jar flink-supervisor-demo.jar [--api-port N]}: an embedded
 * Kubernetes API, a Flink cluster with Kubernetes HA, the example job and the sidecar, in one
 * process, until Ctrl-C. It ships in its own jar; the sidecar's jar carries none of it.
 */
public final class DemoMain {
  static final String USAGE =
      """
      Usage:
        java -jar flink-supervisor-demo.jar [--api-port N]
      """;
  static final String TOKEN_ENV = SupervisorOptions.ADMIN_TOKEN.envName();

  private DemoMain() {}

  public static void main(String[] args) {
    try {
      if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
        System.out.print(USAGE);
        return;
      }
      demo(args);
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("The flink-supervisor demo failed to start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void demo(String[] args) throws Exception {
    String port = "8085";
    int first = args.length > 0 && "demo".equals(args[0]) ? 1 : 0;
    for (int i = first; i < args.length; i++) {
      if ("--api-port".equals(args[i]) && i + 1 < args.length) {
        port = args[++i];
      } else {
        throw new ConfigException("Unknown demo argument '" + args[i] + "'.");
      }
    }
    try {
      Values.port(port);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid value '" + port + "' for --api-port: " + e.getMessage());
    }
    String token = System.getenv(TOKEN_ENV);
    boolean generated = token == null || token.isBlank();
    if (generated) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = HexFormat.of().formatHex(bytes);
    }
    Path workDir = Files.createTempDirectory("flink-supervisor-demo");
    System.out.println("Starting the demo in " + workDir + " ...");
    Demo demo =
        Demo.start(
            workDir,
            Map.of(
                SupervisorOptions.API_PORT.key(), port,
                SupervisorOptions.API_HOST.key(), "127.0.0.1",
                SupervisorOptions.ADMIN_TOKEN.key(), token),
            Clock.systemUTC());
    String url = "http://127.0.0.1:" + demo.apiPort();
    System.out.printf(
        """

        flink-supervisor demo is running.
          Kubernetes API:  %s
          Flink cluster:   %s (Kubernetes HA, example job %s)
          Admin API:       %s
          Admin token:     %s

        Try:
          curl -s -H 'Authorization: Bearer %s' %s/api/v1/jobs
          curl -s -H 'Authorization: Bearer %s' %s/api/v1/cluster
          curl -s %s/readyz

        Press Ctrl-C to stop.
        """,
        demo.kubernetes().describe(),
        demo.clusterId(),
        demo.jobId(),
        url,
        generated
            ? token + "  (generated; set " + TOKEN_ENV + " to choose one)"
            : "(from " + TOKEN_ENV + ")",
        token,
        url,
        token,
        url,
        url);
    Main.awaitShutdown(demo);
  }
}
