package dev.flinksupervisor.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker for the tests: in a container where a container engine answers
 * (Testcontainers' Kafka module), otherwise a KRaft broker in a JVM of its own, started from the
 * Maven artifacts. The same tests run against either; {@link #kind()} says which, and the tests
 * print it.
 */
public interface TestKafka extends AutoCloseable {

  /** {@code host:port} for clients. */
  String bootstrapServers();

  /** Which broker this is, for the test output. */
  String kind();

  @Override
  void close();

  /** A container where a container engine answers, otherwise a broker process. */
  static TestKafka start(Path workDir) throws Exception {
    TestKafka kafka =
        ContainerKafka.available() ? ContainerKafka.start() : ProcessKafka.start(workDir);
    System.out.println("Kafka: " + kafka.kind() + " at " + kafka.bootstrapServers());
    return kafka;
  }

  /** Creates the topics, each with {@code partitions} partitions and one replica. */
  default void createTopics(int partitions, String... topics) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              java.util.Arrays.stream(topics)
                  .map(t -> new NewTopic(t, partitions, (short) 1))
                  .toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  default Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    return Admin.create(p);
  }

  /** The broker settings both kinds share: one broker, transactions for exactly-once sinks. */
  static Map<String, String> brokerSettings() {
    return Map.of(
        "offsets.topic.replication.factor", "1",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "group.initial.rebalance.delay.ms", "0",
        "auto.create.topics.enable", "false",
        // The exactly-once sink's transaction timeout (15 min) must not exceed this.
        "transaction.max.timeout.ms", String.valueOf(Duration.ofMinutes(15).toMillis()));
  }

  /** Waits until the broker answers an admin client. */
  static void awaitReady(String bootstrapServers, Duration timeout, Process process)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() - end < 0) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("The Kafka broker exited with " + process.exitValue());
      }
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
      try (Admin admin = Admin.create(p)) {
        List<?> nodes = List.copyOf(admin.describeCluster().nodes().get(3, TimeUnit.SECONDS));
        if (!nodes.isEmpty()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("The Kafka broker did not answer within " + timeout, last);
  }
}
