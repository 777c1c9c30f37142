package dev.flinksupervisor.e2e;

import dev.flinksupervisor.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft broker (broker and controller in one) in a JVM of its own, from the Kafka artifacts on
 * the test classpath: its storage formatted with Kafka's {@code StorageTool}, then {@code
 * kafka.Kafka} started on free ports. About 3 s to ready.
 */
final class ProcessKafka implements TestKafka {
  private final Process process;
  private final int port;
  private final Path log;

  private ProcessKafka(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ProcessKafka start(Path workDir) throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("kafka"));
    int port = Ports.free();
    int controller = Ports.free();
    Map<String, String> settings = new TreeMap<>(TestKafka.brokerSettings());
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", "1");
    settings.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controller);
    settings.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("log.dirs", dir.resolve("data").toString());
    settings.put("num.partitions", "2");
    Path properties = dir.resolve("server.properties");
    Files.writeString(
        properties,
        settings.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")));
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        """
        rootLogger.level = WARN
        rootLogger.appenderRef.console.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
        """);

    Path formatLog = dir.resolve("format.log");
    Process format =
        java(
                log4j,
                List.of(
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    Uuid.randomUuid().toString(),
                    "-c",
                    properties.toString(),
                    "--standalone"))
            .redirectOutput(formatLog.toFile())
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException(
          "Formatting Kafka's storage failed:\n" + Files.readString(formatLog));
    }

    Path log = dir.resolve("broker.log");
    Process broker =
        java(log4j, List.of("kafka.Kafka", properties.toString()))
            .redirectOutput(log.toFile())
            .start();
    ProcessKafka kafka = new ProcessKafka(broker, port, log);
    try {
      TestKafka.awaitReady(kafka.bootstrapServers(), Duration.ofSeconds(90), broker);
    } catch (Exception e) {
      kafka.close();
      throw new IllegalStateException(e.getMessage() + "\n" + kafka.logTail(), e);
    }
    return kafka;
  }

  private static ProcessBuilder java(Path log4j, List<String> mainAndArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dlog4j2.configurationFile=" + log4j);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArgs);
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String kind() {
    return "a KRaft broker process started from the Maven artifacts (pid " + process.pid() + ")";
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(broker log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
