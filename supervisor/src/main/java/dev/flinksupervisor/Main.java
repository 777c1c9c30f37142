package dev.flinksupervisor;

import dev.flinksupervisor.cli.Cli;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code run --config FILE} (the sidecar), the on-call commands over a running
 * sidecar's admin API ({@link Cli}), and {@code demo [--api-port N]}.
 */
public final class Main {
  static final String USAGE =
      """
      Usage:
        flink-supervisor run --config FILE    run the sidecar (options: YAML file, then SUPERVISOR_* env)

      """
          + Cli.USAGE
          + """

      The demo (an embedded Kubernetes API, Flink cluster, job and sidecar) is its own jar:
        java -jar flink-supervisor-demo.jar [--api-port N] [--config FILE]
      """;

  private Main() {}

  public static void main(String[] args) {
    try {
      if (args.length == 0) {
        System.err.print(USAGE);
        System.exit(2);
      }
      switch (args[0]) {
        case "run" -> run(args);
        case "jobs", "job", "savepoint", "stop", "submit", "reprofile", "events", "cluster" ->
            System.exit(Cli.main(args));
        case "demo" ->
            fail("The demo is not part of the sidecar; run java -jar flink-supervisor-demo.jar.");
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

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs {@code stop}. */
  public static void awaitShutdown(AutoCloseable stop) throws InterruptedException {
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

  static void fail(String message) {
    throw new ConfigException(message + "\n" + USAGE);
  }
}
