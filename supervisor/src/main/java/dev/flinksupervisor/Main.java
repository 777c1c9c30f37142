package dev.flinksupervisor;

import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.config.Values;
import dev.flinksupervisor.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code run --config FILE} (the sidecar) and {@code demo [--api-port N]}. */
public final class Main {
  static final String USAGE =
      """
      Usage:
        flink-supervisor run --config FILE    run the sidecar (options: YAML file, then SUPERVISOR_* env)
        flink-supervisor demo [--api-port N]  run an embedded Kubernetes API, Flink cluster, job and sidecar
      """;
  static final String TOKEN_ENV = SupervisorOptions.ADMIN_TOKEN.envName();

  private Main() {}

  public static void main(String[] args) {
    try {
      if (args.length == 0) {
        System.err.print(USAGE);
        System.exit(2);
      }
      switch (args[0]) {
        case "run" -> run(args);
        case "demo" -> demo(args);
        case "-h", "--help", "help" -> System.out.print(USAGE);
        default -> fail("Unknown command '" + args[0] + "'.");
      }
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("flink-supervisor failed to start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length != 3 || !"--config".equals(args[1])) {
      fail("'run' takes --config FILE.");
    }
    SupervisorConfig config = new ConfigLoader().load(Path.of(args[2]), System.getenv());
    Sidecar sidecar = Sidecar.start(config, Clock.systemUTC());
    awaitShutdown(sidecar::shutdown);
  }

  private static void demo(String[] args) throws Exception {
    String port = "8085";
    for (int i = 1; i < args.length; i++) {
      if ("--api-port".equals(args[i]) && i + 1 < args.length) {
        port = args[++i];
      } else {
        fail("Unknown demo argument '" + args[i] + "'.");
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
    awaitShutdown(demo);
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs {@code stop}. */
  private static void awaitShutdown(AutoCloseable stop) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.close();
                  } catch (Exception e) {
                    System.err.println("Shutdown failed: " + e);
                  } finally {
                    closed.countDown();
                  }
                },
                "shutdown"));
    closed.await();
  }

  private static void fail(String message) {
    throw new ConfigException(message + "\n" + USAGE);
  }
}
